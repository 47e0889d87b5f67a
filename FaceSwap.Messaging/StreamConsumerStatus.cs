namespace FaceSwap.Messaging;

/// <summary>What a consumer is doing, for its readiness check and the logs.</summary>
public sealed class StreamConsumerStatus
{
    private long _handled;
    private long _retried;
    private long _deadLettered;
    private long _claimPasses;

    /// <summary>When the consumer last read the stream successfully; null before the first read.</summary>
    public DateTimeOffset? LastReadAt { get; private set; }

    /// <summary>Why the last read failed; null once a read succeeds again.</summary>
    public string? LastError { get; private set; }

    public long Handled => Interlocked.Read(ref _handled);

    public long Retried => Interlocked.Read(ref _retried);

    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>
    /// Passes that looked for entries left pending past the claim timeout (whether they found any or not): after two
    /// more passes than at some moment, every entry that was claimable then has had its chance to be taken over.
    /// </summary>
    public long ClaimPasses => Interlocked.Read(ref _claimPasses);

    public int InFlight { get; internal set; }

    internal void MarkRead(DateTimeOffset at) => (LastReadAt, LastError) = (at, null);

    internal void MarkFailed(string error) => LastError = error;

    internal void CountHandled() => Interlocked.Increment(ref _handled);

    internal void CountRetried() => Interlocked.Increment(ref _retried);

    internal void CountDeadLettered() => Interlocked.Increment(ref _deadLettered);

    internal void CountClaimPass() => Interlocked.Increment(ref _claimPasses);
}
