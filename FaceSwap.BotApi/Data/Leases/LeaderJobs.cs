namespace FaceSwap.BotApi.Data.Leases;

/// <summary>The names of the jobs that run on one replica at a time (<see cref="LeaseStore.TryLeadAsync"/>).</summary>
public static class LeaderJobs
{
    public const string OutboxDispatcher = "outbox-dispatcher";
    public const string JobSweeper = "job-sweeper";
    public const string JobProgress = "job-progress";
    public const string InboxPruner = "inbox-pruner";
    public const string Alerts = "alerts";
    public const string UptimeSampler = "uptime-sampler";
}
