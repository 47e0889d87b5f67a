namespace FaceSwap.BotApi.Inbox;

/// <summary>
/// What one pass deleted. <see cref="SlowestBatch"/> is its slowest delete statement, waits for the write lock and the
/// checkpoint after the commit included: at most that long did intake wait for the pass at once.
/// </summary>
public sealed record InboxPruneResult(long Updates, long OutboxMessages, int Batches, TimeSpan Elapsed, TimeSpan SlowestBatch)
{
    /// <summary>The records of the deleted updates' replies (Telegram/SentReplyLog.cs), deleted with them.</summary>
    public long SentReplies { get; init; }
}
