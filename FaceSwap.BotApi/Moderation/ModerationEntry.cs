namespace FaceSwap.BotApi.Moderation;

/// <summary>
/// One append-only line of the moderation log: reports, bans, unbans and data deletions, like the credit ledger for
/// money. Lines are never changed, except that /deletedata clears the details a report carried.
/// </summary>
public sealed class ModerationEntry
{
    public long Id { get; set; }
    /// <summary>The user the line is about (the reported user, the banned one, the one who deleted their data).</summary>
    public long UserId { get; set; }
    public ModerationAction Action { get; set; }
    /// <summary>Who acted: the reporter, the operator who banned; the user themselves for a deletion.</summary>
    public long ActorId { get; set; }
    public string? JobId { get; set; }
    public string? Details { get; set; }
    /// <summary>Unique: the same update handled again (after a crash) logs nothing twice.</summary>
    public required string Reference { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
