using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FaceSwap.BotApi.Payments;

public enum PaymentProvider
{
    TelegramStars = 0,
    Stripe = 1,
}

public enum PaymentStatus
{
    /// <summary>A Stripe Checkout Session was opened, or completed with a delayed payment method still pending.</summary>
    Pending = 0,
    Paid = 1,
    Failed = 2,
    Refunded = 3,
}

/// <summary>
/// One purchase attempt of a credit pack. <see cref="ExternalId"/> is the Telegram charge id or the Stripe Checkout
/// Session id: unique per provider, so however often a payment is reported it is recorded (and credited) once.
/// </summary>
public sealed class Payment
{
    public long Id { get; set; }
    public PaymentProvider Provider { get; set; }
    public required string ExternalId { get; set; }
    public long UserId { get; set; }
    public required string PackId { get; set; }
    /// <summary>The credits sold, as promised when the invoice or session was made (packs may change later).</summary>
    public int Credits { get; set; }
    /// <summary>In the currency's smallest unit; Stars for XTR.</summary>
    public long Amount { get; set; }
    public required string Currency { get; set; }
    public PaymentStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? PaidAt { get; set; }
    public DateTimeOffset? RefundedAt { get; set; }
    /// <summary>Credits actually taken back on refund (fewer than sold when some were already spent).</summary>
    public int CreditsTakenBack { get; set; }
    /// <summary>When the buyer was told the outcome; claimed before sending, so concurrent deliveries tell once.</summary>
    public DateTimeOffset? NotifiedAt { get; set; }

    /// <summary>The ledger reference of this payment's credits.</summary>
    public string CreditReference => PaymentBook.CreditReference(Provider, ExternalId);
}

public sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> payment)
    {
        payment.ToTable("payments");
        payment.HasIndex(p => new { p.Provider, p.ExternalId }).IsUnique();
        payment.HasIndex(p => new { p.UserId, p.CreatedAt });
        payment.Property(p => p.ExternalId).HasMaxLength(255);
        payment.Property(p => p.PackId).HasMaxLength(16);
        payment.Property(p => p.Currency).HasMaxLength(3);
        payment.Ignore(p => p.CreditReference);
    }
}
