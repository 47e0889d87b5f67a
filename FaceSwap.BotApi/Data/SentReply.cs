namespace FaceSwap.BotApi.Data;

/// <summary>
/// A message the bot sent while handling a stored update (table <c>sent_replies</c>): the <see cref="Sequence"/>th send
/// of that handling to <see cref="ChatId"/>. Handling the update again finds it and does not send it twice
/// (Telegram/SentReplyLog.cs). Deleted with the update's inbox row (Inbox/InboxPruner.cs).
/// </summary>
public sealed class SentReply
{
    public long UpdateId { get; set; }

    public long ChatId { get; set; }

    public int Sequence { get; set; }

    /// <summary>Telegram's id of the message: what a caller that edits it later (the "queued" status line) needs.</summary>
    public int MessageId { get; set; }

    public DateTimeOffset SentAt { get; set; }
}
