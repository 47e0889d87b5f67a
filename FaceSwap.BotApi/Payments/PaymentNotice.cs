namespace FaceSwap.BotApi.Payments;

/// <summary>The messages a buyer gets about one payment; each is claimed on its own, so each is told once.</summary>
public enum PaymentNotice
{
    /// <summary>Paid (thanks) or failed: <see cref="Payment.NotifiedAt"/>.</summary>
    Outcome = 0,

    /// <summary>
    /// A refund, told again when the refunded amount grows: <see cref="Payment.RefundNotifiedAmount"/> against
    /// <see cref="Payment.AmountRefunded"/> (a card's running total; a Stars refund is always the whole amount).
    /// </summary>
    Refund = 1,

    /// <summary>A card dispute: <see cref="Payment.DisputeNotifiedAt"/>.</summary>
    CardDispute = 2,
}
