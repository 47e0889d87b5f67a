namespace FaceSwap.BotApi.Data;

/// <summary>
/// One swap a user paid for. Its status changes only through the methods here, each of which says whether the move
/// happened: a redelivered message or a late result finds the job already past that point and changes nothing. The
/// one exception is Queued to Dispatched, a conditional UPDATE in <see cref="Jobs.JobDispatcher"/> (it races the
/// result of the swap it just put on the stream).
/// The money and the messages that go with a change are <see cref="Jobs.SwapJobLifecycle"/>'s.
/// </summary>
public sealed class SwapJob
{
    public required string Id { get; set; }
    public long UserId { get; set; }
    public long ChatId { get; set; }
    public required string FaceBlobKey { get; set; }
    public required string TargetBlobKey { get; set; }
    public string Selection { get; set; } = "largest";
    public JobStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DispatchedAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public string? FailureReason { get; private set; }
    public int? StatusMessageId { get; set; }
    public string? ResultFileId { get; set; }
    /// <summary>When the user was sent the result or the reason; set once, so a redelivered result sends nothing.</summary>
    public DateTimeOffset? DeliveredAt { get; set; }
    public string? TraceParent { get; set; }
    /// <summary>Chat or web: a web job's result stays on the web page unless the user sends it to their chat.</summary>
    public JobOrigin Origin { get; set; }
    /// <summary>How often the sweeper put the job on the stream again after it got stuck.</summary>
    public int Redispatches { get; private set; }

    /// <summary>Queued, on the stream or being swapped: what "a swap is already running" refers to.</summary>
    public static readonly JobStatus[] InProgress = [JobStatus.Queued, JobStatus.Dispatched, JobStatus.Running];

    public bool IsInProgress => InProgress.Contains(Status);

    public bool MarkRunning(DateTimeOffset now) => Move([JobStatus.Dispatched], JobStatus.Running, () => StartedAt = now);

    public bool Succeed(DateTimeOffset now) => Move(InProgress, JobStatus.Succeeded, () => CompletedAt = now);

    public bool Fail(string reason, DateTimeOffset now) => Move(InProgress, JobStatus.Failed, () => (FailureReason, CompletedAt) = (reason, now));

    public bool AwaitChoice(DateTimeOffset now) => Move(InProgress, JobStatus.AwaitingChoice, () => CompletedAt = now);

    /// <summary>The user picked a face: the same job, paid once, goes back on the queue for that face.</summary>
    public bool Requeue(string selection, DateTimeOffset now) =>
        Move([JobStatus.AwaitingChoice], JobStatus.Queued,
            () => (Selection, CompletedAt, DeliveredAt, DispatchedAt, StartedAt, StatusMessageId) = (selection, null, null, null, null, null));

    public bool Supersede(DateTimeOffset now) => Move([JobStatus.AwaitingChoice], JobStatus.Superseded, () => CompletedAt = now);

    /// <summary>Made, or asked about, but Telegram would not take it to the user.</summary>
    public bool MarkUndeliverable(string reason, DateTimeOffset now) =>
        Move([.. InProgress, JobStatus.Succeeded, JobStatus.AwaitingChoice], JobStatus.Undeliverable, () => (FailureReason, CompletedAt) = (reason, now));

    /// <summary>Stuck on the stream (its entry lost): back to the outbox under the same id.</summary>
    public bool Redispatch(DateTimeOffset now) =>
        Move([JobStatus.Dispatched, JobStatus.Running], JobStatus.Queued, () => (Redispatches, DispatchedAt, StartedAt) = (Redispatches + 1, null, null));

    private bool Move(JobStatus[] from, JobStatus to, Action apply)
    {
        if (!from.Contains(Status))
        {
            return false;
        }

        Status = to;
        apply();
        return true;
    }
}
