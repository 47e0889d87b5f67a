namespace FaceSwap.BotApi.Data;

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
