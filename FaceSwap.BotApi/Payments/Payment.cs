using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FaceSwap.BotApi.Payments;

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
    /// <summary>Credits actually taken back on refund or dispute (fewer than sold when some were already spent).</summary>
    public int CreditsTakenBack { get; set; }
    /// <summary>When the buyer was told the outcome; claimed before sending, so concurrent deliveries tell once.</summary>
    public DateTimeOffset? NotifiedAt { get; set; }

    /// <summary>
    /// The Stripe PaymentIntent of the paid Checkout Session, recorded when it is credited: charge events (refunds,
    /// disputes) name the PaymentIntent, not the session.
    /// </summary>
    public string? PaymentIntentId { get; set; }

    /// <summary>
    /// The largest cumulative <c>amount_refunded</c> Stripe reported for the charge, in the smallest currency unit.
    /// Stripe's refund events carry the running total, so an event at or below this is a repeat or arrived late.
    /// </summary>
    public long AmountRefunded { get; set; }

    /// <summary>The refunded amount the buyer was last told about (claimed before sending, like <see cref="NotifiedAt"/>).</summary>
    public long RefundNotifiedAmount { get; set; }

    /// <summary>When Stripe reported a dispute (chargeback) of the charge; the remaining credits were taken back then.</summary>
    public DateTimeOffset? DisputedAt { get; set; }

    /// <summary>When the buyer was told about the dispute; claimed before sending.</summary>
    public DateTimeOffset? DisputeNotifiedAt { get; set; }

    /// <summary>The ledger reference of this payment's credits.</summary>
    public string CreditReference => PaymentBook.CreditReference(Provider, ExternalId);
}
