namespace FaceSwap.BotApi.Data;

/// <summary>A Telegram update as received, kept until handled (the inbox).</summary>
public sealed class InboxUpdate
{
    public long UpdateId { get; set; }
    /// <summary>The chat the update belongs to; updates of one chat are handled in order.</summary>
    public long ChatId { get; set; }
    public required string Payload { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public InboxStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? HandledAt { get; set; }
    /// <summary>W3C trace context of the request that delivered it, so handling joins the same trace.</summary>
    public string? TraceParent { get; set; }
}
