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

public enum InboxStatus
{
    Pending = 0,
    Handled = 1,
    /// <summary>Gave up after the maximum attempts; kept for the operator, the chat moves on.</summary>
    Failed = 2,
    /// <summary>Not handled: the chat sent more than its cap while earlier updates waited (a flood); kept for the operator.</summary>
    Shed = 3,
}

public sealed class BotUser
{
    public long Id { get; set; }
    public long ChatId { get; set; }
    public string? FirstName { get; set; }
    public string? LanguageCode { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public ConversationStep Step { get; set; }
    /// <summary>Blob key of the face photo chosen for the next swap.</summary>
    public string? FaceBlobKey { get; set; }
    /// <summary>Telegram file id of that face, so it can be saved under a name and fetched again later.</summary>
    public string? FaceFileId { get; set; }
    /// <summary>Blob key of the last target photo, for "new face" on the same photo.</summary>
    public string? LastTargetBlobKey { get; set; }
    /// <summary>The album being received: its first photo is the face, the next the target.</summary>
    public string? MediaGroupId { get; set; }
    /// <summary>
    /// Since when Telegram refuses messages to this user (they blocked the bot, or the account is gone); null when
    /// reachable. Results are not sent meanwhile (they are refunded); the user's next message clears it.
    /// </summary>
    public DateTimeOffset? UnreachableSince { get; set; }
    /// <summary>The version of the terms of use this user accepted (<c>Terms:Version</c>); null: not yet.</summary>
    public string? TermsVersion { get; set; }
    public DateTimeOffset? TermsAcceptedAt { get; set; }
    /// <summary>Since when an operator banned this user; null when not banned. Bans are in the moderation log.</summary>
    public DateTimeOffset? BannedAt { get; set; }
    public string? BanReason { get; set; }
    /// <summary>When the banned user was told, so they are told once and then ignored.</summary>
    public DateTimeOffset? BanNoticeSentAt { get; set; }
}

public enum ConversationStep
{
    AwaitingFace = 0,
    AwaitingTarget = 1,
}

/// <summary>A message waiting to be put on a Redis stream; written in the same transaction as its job.</summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }
    public required string Stream { get; set; }
    public required string Payload { get; set; }
    public required string JobId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DispatchedAt { get; set; }
    public int Attempts { get; set; }
}

/// <summary>One append-only line of the credit ledger; the balance is the sum of a user's lines.</summary>
public sealed class CreditEntry
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public int Amount { get; set; }
    public CreditEntryKind Kind { get; set; }
    /// <summary>Unique: the same grant, purchase, spend or refund is never booked twice.</summary>
    public required string Reference { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public enum CreditEntryKind
{
    Grant = 0,
    Purchase = 1,
    Spend = 2,
    Refund = 3,
    Adjustment = 4,
}

public sealed class SavedFace
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public required string Name { get; set; }
    public required string FileId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
