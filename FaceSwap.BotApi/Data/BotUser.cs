namespace FaceSwap.BotApi.Data;

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
