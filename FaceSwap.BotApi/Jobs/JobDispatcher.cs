using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Data.Leases;
using FaceSwap.Contracts;
using FaceSwap.Messaging;
using FaceSwap.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace FaceSwap.BotApi.Jobs;

/// <summary>
/// Moves outbox messages to their Redis stream. While Redis is down the jobs wait in SQLite and this keeps
/// retrying; nothing is lost. A message is marked dispatched only after Redis acknowledged the XADD.
/// One replica dispatches at a time (the <see cref="LeaderJobs.OutboxDispatcher"/> lease), so two never put the same
/// job on the stream; the others poll for the lease and take over when its holder dies. A job queued on any replica
/// wakes the leader through <see cref="OutboxNudge"/>.
/// </summary>
public sealed class JobDispatcher(IServiceScopeFactory scopeFactory, IConnectionMultiplexer redis, WakeSignal<JobDispatcher> signal,
    OutboxNudge nudges, Media.MediaUrlSigner mediaUrls, LeaseStore leases,
    TimeProvider time, ILogger<JobDispatcher> logger) : BackgroundService
{
    // The fallback poll when no job wakes this, and how often a standby replica asks for the lease.
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    // While Redis is down: 1 s after the first failure, doubling up to 10 s, so jobs go out soon after it is back.
    private readonly LoopBackoff _backoff = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), time);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        var listening = !leases.On; // one replica: every nudge is local
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!listening)
                {
                    await nudges.ListenAsync();
                    listening = true;
                }

                var dispatched = await leases.TryLeadAsync(LeaderJobs.OutboxDispatcher, PollInterval, stoppingToken)
                    ? await DispatchPendingAsync(stoppingToken)
                    : 0;
                failures = 0;
                if (dispatched == 0)
                {
                    await signal.WaitAsync(PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failures++;
                logger.LogWarning(ex, "Dispatching jobs failed ({Failures} in a row); they stay in the outbox", failures);
                await Task.Delay(_backoff.DelayFor(failures), time, stoppingToken);
            }
        }
    }

    /// <summary>
    /// Signs the hosted engine's input URLs now rather than when the job was queued: a job that waited in the outbox
    /// (Redis down) still reaches the processor with URLs that have their whole lifetime left.
    /// </summary>
    private string WithMediaUrls(string payload)
    {
        if (!mediaUrls.Enabled || System.Text.Json.JsonSerializer.Deserialize<SwapJobMessage>(payload) is not { } job)
        {
            return payload;
        }

        return System.Text.Json.JsonSerializer.Serialize(job with
        {
            FaceUrl = mediaUrls.CreateUrl(job.FaceBlobKey),
            TargetUrl = mediaUrls.CreateUrl(job.TargetBlobKey),
        });
    }

    /// <summary>
    /// After Redis took the entry: the outbox row is done, and the job moves from Queued to Dispatched only if it is
    /// still Queued at this moment, in one conditional UPDATE. A tracked save of the job as read before the XADD would
    /// not check: a processor can swap it and its result be recorded first (a fast engine, a busy database), and the
    /// save would then move a Succeeded job back to Dispatched, which the sweeper later takes for stuck.
    /// </summary>
    internal static async Task RecordDispatchedAsync(FaceSwapDbContext db, OutboxMessage message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.Jobs.Where(j => j.Id == message.JobId && j.Status == JobStatus.Queued)
            .ExecuteUpdateAsync(job => job.SetProperty(j => j.Status, JobStatus.Dispatched).SetProperty(j => j.DispatchedAt, now), cancellationToken);
        message.DispatchedAt = now;
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<int> DispatchPendingAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FaceSwapDbContext>();
        var pending = await db.Outbox.Where(o => o.DispatchedAt == null).OrderBy(o => o.Id).Take(100).ToListAsync(cancellationToken);
        if (pending.Count == 0)
        {
            return 0;
        }

        var database = redis.GetDatabase();
        foreach (var message in pending)
        {
            var traceParent = await db.Jobs.Where(j => j.Id == message.JobId).Select(j => j.TraceParent).SingleOrDefaultAsync(cancellationToken);
            using var activity = Inbox.InboxWorker.ActivitySource.StartActivity("dispatch job", System.Diagnostics.ActivityKind.Producer, traceParent);
            activity?.SetTag("faceswap.job_id", message.JobId);
            message.Attempts++;
            await database.StreamAddAsync(message.Stream,
                [new NameValueEntry(StreamPublisher.PayloadField, WithMediaUrls(message.Payload)), new NameValueEntry(StreamPublisher.KeyField, message.JobId)],
                maxLength: StreamPublisher.MaxLength, useApproximateMaxLength: true);
            await RecordDispatchedAsync(db, message, time.GetUtcNow(), cancellationToken);
        }

        // Idle processors wait on this channel instead of polling the stream fast.
        await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(QueueNames.JobsNudge), pending.Count);
        return pending.Count;
    }
}
