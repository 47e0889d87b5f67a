using FaceSwap.BotApi.Credits;
using FaceSwap.BotApi.Data;
using Microsoft.EntityFrameworkCore;

namespace FaceSwap.BotApi.Payments;

/// <summary>What recording a paid payment did: the payment row, and whether this call booked its credits.</summary>
public sealed record PaidOutcome(Payment Payment, bool NewlyCredited);

/// <summary>
/// Records payments and their credits together: the payment row and its ledger line commit in one transaction, and
/// both are keyed by the provider's id, so a payment reported any number of times, in any order, credits once.
/// </summary>
public sealed class PaymentBook(FaceSwapDbContext db, CreditLedger ledger, TimeProvider time)
{
    public static string CreditReference(PaymentProvider provider, string externalId) => provider switch
    {
        PaymentProvider.TelegramStars => $"stars:{externalId}",
        PaymentProvider.Stripe => $"stripe:{externalId}",
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    public static string TakeBackReference(PaymentProvider provider, string externalId) => CreditReference(provider, externalId) + ":refund";

    public Task<Payment?> FindAsync(PaymentProvider provider, string externalId, CancellationToken cancellationToken) =>
        db.Set<Payment>().SingleOrDefaultAsync(p => p.Provider == provider && p.ExternalId == externalId, cancellationToken);

    /// <summary>Notes a purchase attempt (a Stripe Checkout Session) before the buyer pays.</summary>
    public async Task OpenAsync(Payment payment, CancellationToken cancellationToken)
    {
        payment.Status = PaymentStatus.Pending;
        payment.CreatedAt = time.GetUtcNow();
        db.Set<Payment>().Add(payment);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Marks the payment paid and books its credits, once. <paramref name="reported"/> describes the payment as the
    /// provider reported it; it creates the row when the attempt was never noted (or noting it failed).
    /// </summary>
    public async Task<PaidOutcome> RecordPaidAsync(Payment reported, CancellationToken cancellationToken)
    {
        // BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default): concurrent reports of one payment run one after the other.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var payment = await FindAsync(reported.Provider, reported.ExternalId, cancellationToken);
        var now = time.GetUtcNow();
        if (payment is null)
        {
            payment = reported;
            payment.CreatedAt = now;
            db.Set<Payment>().Add(payment);
        }

        if (payment.Status is PaymentStatus.Pending or PaymentStatus.Failed)
        {
            // A failed delayed payment can still succeed later (a retried bank transfer): paid wins, and is told.
            if (payment.Status == PaymentStatus.Failed)
            {
                payment.NotifiedAt = null;
            }

            payment.Status = PaymentStatus.Paid;
            payment.PaidAt = now;
            payment.Amount = reported.Amount;
            payment.Currency = reported.Currency;
        }

        await db.SaveChangesAsync(cancellationToken);
        var credited = await ledger.CreditAsync(payment.UserId, payment.Credits, CreditEntryKind.Purchase, payment.CreditReference, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (credited)
        {
            Operations.FaceSwapMetrics.RecordCreditsSold(MetricName(payment.Provider), payment.Credits);
        }

        return new PaidOutcome(payment, credited);
    }

    /// <summary>Marks a payment failed unless it was paid already (events arrive in any order); true when it changed.</summary>
    public async Task<(Payment Payment, bool Changed)> RecordFailedAsync(Payment reported, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var payment = await FindAsync(reported.Provider, reported.ExternalId, cancellationToken);
        if (payment is null)
        {
            payment = reported;
            payment.CreatedAt = time.GetUtcNow();
            db.Set<Payment>().Add(payment);
        }

        var changed = payment.Status == PaymentStatus.Pending;
        if (changed)
        {
            payment.Status = PaymentStatus.Failed;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (changed)
        {
            Operations.FaceSwapMetrics.RecordPaymentFailure(MetricName(payment.Provider), "async_payment_failed");
        }

        return (payment, changed);
    }

    /// <summary>
    /// Marks a paid payment refunded and takes its credits back (as many as are left), once however often it is
    /// called. Returns the credits taken back by the first call.
    /// </summary>
    public async Task<int> RecordRefundAsync(Payment payment, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Entry(payment).ReloadAsync(cancellationToken);
        if (payment.Status is not (PaymentStatus.Paid or PaymentStatus.Refunded))
        {
            return 0; // never credited, so nothing to take back
        }

        var taken = await ledger.TakeBackAsync(payment.UserId, payment.Credits, CreditEntryKind.Refund,
            TakeBackReference(payment.Provider, payment.ExternalId), cancellationToken);
        if (payment.Status != PaymentStatus.Refunded)
        {
            payment.Status = PaymentStatus.Refunded;
            payment.RefundedAt = time.GetUtcNow();
            payment.CreditsTakenBack = taken;
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return taken;
    }

    /// <summary>
    /// Claims the right to tell the buyer about this payment; only one caller gets it. Release it when telling
    /// failed, so the provider's redelivery tells them.
    /// </summary>
    public async Task<bool> TryClaimNotificationAsync(long paymentId, CancellationToken cancellationToken) =>
        await db.Set<Payment>().Where(p => p.Id == paymentId && p.NotifiedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.NotifiedAt, time.GetUtcNow()), cancellationToken) == 1;

    public Task ReleaseNotificationAsync(long paymentId) =>
        db.Set<Payment>().Where(p => p.Id == paymentId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.NotifiedAt, (DateTimeOffset?)null), CancellationToken.None);

    public Task<List<Payment>> RecentPurchasesAsync(long userId, int count, CancellationToken cancellationToken) =>
        db.Set<Payment>().AsNoTracking()
            .Where(p => p.UserId == userId && (p.Status == PaymentStatus.Paid || p.Status == PaymentStatus.Refunded))
            .OrderByDescending(p => p.PaidAt).Take(count).ToListAsync(cancellationToken);

    /// <summary>The provider as the metrics name it: <c>stars</c> or <c>stripe</c>.</summary>
    public static string MetricName(PaymentProvider provider) => provider == PaymentProvider.TelegramStars ? "stars" : "stripe";
}
