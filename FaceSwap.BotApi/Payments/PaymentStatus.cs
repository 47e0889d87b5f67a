using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FaceSwap.BotApi.Payments;

public enum PaymentStatus
{
    /// <summary>A Stripe Checkout Session was opened, or completed with a delayed payment method still pending.</summary>
    Pending = 0,
    Paid = 1,
    Failed = 2,
    /// <summary>Refunded in full. A partly refunded or disputed card payment stays <see cref="Paid"/>; see <see cref="Payment.AmountRefunded"/> and <see cref="Payment.DisputedAt"/>.</summary>
    Refunded = 3,
}
