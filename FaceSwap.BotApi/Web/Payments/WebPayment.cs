using System.Globalization;
using FaceSwap.BotApi.Payments;

namespace FaceSwap.BotApi.Web.Payments;

/// <summary>
/// One payment of the signed-in user. <see cref="Method"/> is <c>card</c> or <c>stars</c>; <see cref="Status"/> is
/// <c>pending</c>, <c>paid</c>, <c>failed</c>, <c>partly-refunded</c>, <c>refunded</c> or <c>disputed</c>.
/// </summary>
public sealed record WebPayment(
    long Id,
    string Method,
    string PackId,
    int Credits,
    string Price,
    string Status,
    int CreditsTakenBack,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PaidAt)
{
    public static WebPayment From(Payment payment) => new(
        payment.Id,
        payment.Provider == PaymentProvider.Stripe ? "card" : "stars",
        payment.PackId,
        payment.Credits,
        payment.Provider == PaymentProvider.Stripe
            ? CreditPack.FormatCardPrice(payment.Amount, payment.Currency)
            : string.Create(CultureInfo.InvariantCulture, $"{payment.Amount} Stars"),
        StatusOf(payment),
        payment.CreditsTakenBack,
        payment.CreatedAt,
        payment.PaidAt);

    private static string StatusOf(Payment payment) => payment switch
    {
        { DisputedAt: not null } => "disputed",
        { Status: PaymentStatus.Refunded } => "refunded",
        { Status: PaymentStatus.Paid, AmountRefunded: > 0 } => "partly-refunded",
        { Status: PaymentStatus.Paid } => "paid",
        { Status: PaymentStatus.Failed } => "failed",
        _ => "pending",
    };
}
