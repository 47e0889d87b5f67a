namespace FaceSwap.BotApi.Jobs;

public enum EnqueueOutcome
{
    Queued,
    /// <summary>The update being handled again (after a crash) had already created this job and paid for it.</summary>
    AlreadyCreated,
    AlreadyRunning,
    HourlyLimit,
    NoCredits,
}
