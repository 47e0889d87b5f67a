using System.Globalization;
using FaceSwap.BotApi.Credits;
using FaceSwap.BotApi.Data;
using Microsoft.EntityFrameworkCore;

namespace FaceSwap.BotApi.Payments;

/// <summary>
/// Records payments and their credits together: the payment row and its ledger line commit in one transaction, and
/// both are keyed by the provider's id, so a payment reported any number of times, in any order, credits once.
/// </summary>
public sealed class PaymentBook(FaceSwapDbContext db, CreditLedger ledger, TimeProvider time, Operations.FaceSwapMetrics metrics)
{
    public static string CreditReference(PaymentProvider provider, string externalId) => provider switch
    {
        PaymentProvider.TelegramStars => $"stars:{externalId}",
        PaymentProvider.Stripe => $"stripe:{externalId}",
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    public static string TakeBackReference(PaymentProvider provider, string externalId) => CreditReference(provider, externalId) + ":refund";

    /// <summary>
    /// One line per step of a card refund, named by Stripe's running total: a repeated event books nothing twice
    /// even if the payment row's own guard were bypassed.
    /// </summary>
    public static string CardRefundReference(string sessionId, long amountRefunded) =>
        string.Create(CultureInfo.InvariantCulture, $"{CreditReference(PaymentProvider.Stripe, sessionId)}:refund:{amountRefunded}");

    /// <summary>A charge is disputed at most once in a way that matters here: one line per payment.</summary>
    public static string CardDisputeReference(string sessionId) => CreditReference(PaymentProvider.Stripe, sessionId) + ":dispute";

    public Task<Payment?> FindAsync(PaymentProvider provider, string externalId, CancellationToken cancellationToken) =>
        db.Set<Payment>().SingleOrDefaultAsync(p => p.Provider == provider && p.ExternalId == externalId, cancellationToken);

    /// <summary>The card payment whose Checkout Session was paid with this PaymentIntent; null when this bot never credited it.</summary>
    public Task<Payment?> FindByPaymentIntentAsync(string paymentIntentId, CancellationToken cancellationToken) =>
        db.Set<Payment>().OrderBy(p => p.Id)
            .FirstOrDefaultAsync(p => p.Provider == PaymentProvider.Stripe && p.PaymentIntentId == paymentIntentId, cancellationToken);

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

        // Checkout creates the PaymentIntent when the buyer pays, so only the paid session's event knows it.
        payment.PaymentIntentId ??= reported.PaymentIntentId;

        await db.SaveChangesAsync(cancellationToken);
        var credited = await ledger.CreditAsync(payment.UserId, payment.Credits, CreditEntryKind.Purchase, payment.CreditReference, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (credited)
        {
            metrics.RecordCreditsSold(MetricName(payment.Provider), payment.Credits);
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
            metrics.RecordPaymentFailure(MetricName(payment.Provider), "async_payment_failed");
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
            payment.AmountRefunded = payment.Amount; // Stars are refunded whole; the buyer's refund notice reads it
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return taken;
    }

    /// <summary>
    /// Takes back the credits a card refund stands for, once per step. Stripe reports the charge's running total
    /// (<paramref name="amountRefunded"/> of <paramref name="chargeAmount"/>); the credits due in all are
    /// floor(credits * refunded / amount), less what was already taken back. An event whose total is not above the
    /// one recorded (a repeat, or an earlier refund arriving late) takes nothing. Never more than the balance: what
    /// was actually taken is recorded. Null when no credited payment has this PaymentIntent.
    /// </summary>
    public async Task<TakeBackOutcome?> RecordCardRefundAsync(string paymentIntentId, long amountRefunded, long chargeAmount, CancellationToken cancellationToken)
    {
        // BEGIN IMMEDIATE: concurrent deliveries read and advance the running total one after the other.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var payment = await FindByPaymentIntentAsync(paymentIntentId, cancellationToken);
        if (payment is null)
        {
            return null;
        }

        // A dispute already took all the pack's credits that were left.
        if (payment.Status is not (PaymentStatus.Paid or PaymentStatus.Refunded) || payment.DisputedAt is not null
            || amountRefunded <= payment.AmountRefunded)
        {
            return new TakeBackOutcome(payment, false, 0);
        }

        var full = amountRefunded >= chargeAmount;
        var creditsDue = full ? payment.Credits : (int)(payment.Credits * amountRefunded / chargeAmount);
        var due = creditsDue - payment.CreditsTakenBack;
        var taken = due > 0
            ? await ledger.TakeBackAsync(payment.UserId, due, CreditEntryKind.Refund, CardRefundReference(payment.ExternalId, amountRefunded), cancellationToken)
            : 0;
        payment.AmountRefunded = amountRefunded;
        payment.CreditsTakenBack += taken;
        payment.RefundedAt = time.GetUtcNow();
        if (full)
        {
            payment.Status = PaymentStatus.Refunded;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new TakeBackOutcome(payment, true, taken);
    }

    /// <summary>
    /// Takes back the pack's remaining credits (never more than the balance) when Stripe reports a dispute, once per
    /// payment. A payment refunded in full has nothing left to take. Null when no credited payment has this PaymentIntent.
    /// </summary>
    public async Task<TakeBackOutcome?> RecordCardDisputeAsync(string paymentIntentId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var payment = await FindByPaymentIntentAsync(paymentIntentId, cancellationToken);
        if (payment is null)
        {
            return null;
        }

        if (payment.Status is not (PaymentStatus.Paid or PaymentStatus.Refunded) || payment.DisputedAt is not null)
        {
            return new TakeBackOutcome(payment, false, 0);
        }

        var remaining = payment.Status == PaymentStatus.Refunded ? 0 : payment.Credits - payment.CreditsTakenBack;
        var taken = remaining > 0
            ? await ledger.TakeBackAsync(payment.UserId, remaining, CreditEntryKind.Refund, CardDisputeReference(payment.ExternalId), cancellationToken)
            : 0;
        payment.CreditsTakenBack += taken;
        payment.DisputedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new TakeBackOutcome(payment, true, taken);
    }

    /// <summary>
    /// Claims the right to tell the buyer this notice about this payment; only one caller gets it. Release it when
    /// telling failed, so the provider's redelivery tells them. A refund notice is claimed again whenever the
    /// refunded amount has grown since the last one.
    /// </summary>
    public async Task<bool> TryClaimNotificationAsync(long paymentId, PaymentNotice notice, CancellationToken cancellationToken)
    {
        var payment = db.Set<Payment>().Where(p => p.Id == paymentId);
        var claimed = notice switch
        {
            PaymentNotice.Outcome => await payment.Where(p => p.NotifiedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.NotifiedAt, time.GetUtcNow()), cancellationToken),
            PaymentNotice.Refund => await payment.Where(p => p.RefundNotifiedAmount < p.AmountRefunded)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.RefundNotifiedAmount, p => p.AmountRefunded), cancellationToken),
            PaymentNotice.CardDispute => await payment.Where(p => p.DisputedAt != null && p.DisputeNotifiedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.DisputeNotifiedAt, time.GetUtcNow()), cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(notice)),
        };
        return claimed == 1;
    }

    /// <summary>
    /// Gives a claim back. A refund notice goes back to none told: the next one tells the running total, which
    /// covers every earlier step.
    /// </summary>
    public async Task ReleaseNotificationAsync(long paymentId, PaymentNotice notice)
    {
        var payment = db.Set<Payment>().Where(p => p.Id == paymentId);
        _ = notice switch
        {
            PaymentNotice.Outcome => await payment.ExecuteUpdateAsync(s => s.SetProperty(p => p.NotifiedAt, (DateTimeOffset?)null), CancellationToken.None),
            PaymentNotice.Refund => await payment.ExecuteUpdateAsync(s => s.SetProperty(p => p.RefundNotifiedAmount, 0L), CancellationToken.None),
            PaymentNotice.CardDispute => await payment.ExecuteUpdateAsync(s => s.SetProperty(p => p.DisputeNotifiedAt, (DateTimeOffset?)null), CancellationToken.None),
            _ => throw new ArgumentOutOfRangeException(nameof(notice)),
        };
    }

    public Task<List<Payment>> RecentPurchasesAsync(long userId, int count, CancellationToken cancellationToken) =>
        db.Set<Payment>().AsNoTracking()
            .Where(p => p.UserId == userId && (p.Status == PaymentStatus.Paid || p.Status == PaymentStatus.Refunded))
            .OrderByDescending(p => p.PaidAt).Take(count).ToListAsync(cancellationToken);

    /// <summary>The provider as the metrics name it: <c>stars</c> or <c>stripe</c>.</summary>
    public static string MetricName(PaymentProvider provider) => provider == PaymentProvider.TelegramStars ? "stars" : "stripe";
}
