using System.Globalization;
using System.Text;
using FaceSwap.BotApi.Conversation;
using FaceSwap.BotApi.Conversation.Commands;
using FaceSwap.BotApi.Credits;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Telegram;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Payments;

/// <summary>
/// The conversation's payment commands: /buy and its buttons, /balance with purchases, and the operators' /grant,
/// /refund and /stats (routed by <see cref="CommandRouter"/>, which applies the admin policy).
/// </summary>
public sealed class PaymentCommands(
    FaceSwapDbContext db,
    CreditLedger ledger,
    PaymentBook book,
    StarsPayments stars,
    BuyerNotices notices,
    BotMessenger messenger,
    IOptions<PaymentsOptions> options,
    ILogger<PaymentCommands> logger)
{
    private const int MaxGrant = 100_000;

    public Task BuyAsync(CommandRequest request, CancellationToken cancellationToken) =>
        messenger.SendTextAsync(request.User.ChatId, request.Texts["BuyChoose"], PaymentKeyboards.Packs(request.Texts, options.Value.Packs), cancellationToken);

    /// <summary>/stats: users, credits and payments, with the latest payments' charge ids for /refund.</summary>
    public async Task StatsAsync(CommandRequest request, CancellationToken cancellationToken) =>
        await messenger.SendTextAsync(request.User.ChatId, await StatsTextAsync(cancellationToken), cancellationToken: cancellationToken);

    /// <summary>A /buy button: a Stars invoice. A card button left in an older /buy message is answered with the rule.</summary>
    public async Task HandleBuyButtonAsync(BotUser user, BotTexts texts, string data, CancellationToken cancellationToken)
    {
        if (data.StartsWith(PaymentKeyboards.RetiredCardPrefix, StringComparison.Ordinal))
        {
            await messenger.SendTextAsync(user.ChatId, texts["StarsOnlyInChat"], PaymentKeyboards.Packs(texts, options.Value.Packs), cancellationToken);
            return;
        }

        var packId = data.StartsWith(PaymentKeyboards.StarsPrefix, StringComparison.Ordinal) ? data[PaymentKeyboards.StarsPrefix.Length..] : "";
        // A button from an old /buy message may name a pack that is no longer configured.
        if (options.Value.FindPack(packId) is not { } pack)
        {
            await messenger.SendTextAsync(user.ChatId, texts["PackUnavailable"], cancellationToken: cancellationToken);
            return;
        }

        await stars.SendInvoiceAsync(user, texts, pack, cancellationToken);
    }

    public async Task BalanceAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var (user, texts) = (request.User, request.Texts);
        var reply = new StringBuilder(texts.Format("Balance", await ledger.BalanceAsync(user.Id, cancellationToken)));
        var purchases = await book.RecentPurchasesAsync(user.Id, 5, cancellationToken);
        if (purchases.Count > 0)
        {
            reply.Append("\n\n").Append(texts["BalancePurchases"]);
            foreach (var payment in purchases)
            {
                reply.Append('\n').Append(texts.Format(payment.Status == PaymentStatus.Refunded ? "BalancePurchaseRefunded" : "BalancePurchase",
                    payment.PaidAt?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), payment.Credits, Price(payment)));
            }
        }

        await messenger.SendTextAsync(user.ChatId, reply.ToString(), cancellationToken: cancellationToken);
    }

    /// <summary>/grant USER CREDITS: once per command message, so a redelivered update grants nothing twice.</summary>
    public async Task GrantAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var (admin, words, messageId) = (request.User, request.Words, request.MessageId);
        if (words.Length != 2 || !long.TryParse(words[0], NumberStyles.None, CultureInfo.InvariantCulture, out var userId)
            || !int.TryParse(words[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var credits)
            || credits == 0 || credits is < -MaxGrant or > MaxGrant) // Math.Abs(int.MinValue) would overflow
        {
            await messenger.SendTextAsync(admin.ChatId, BotTexts.English.Format("AdminGrantUsage", MaxGrant), cancellationToken: cancellationToken);
            return;
        }

        var reference = string.Create(CultureInfo.InvariantCulture, $"admin:{admin.Id}:{messageId}");
        int changed;
        if (credits > 0)
        {
            await ledger.CreditAsync(userId, credits, CreditEntryKind.Grant, reference, cancellationToken);
            changed = credits;
        }
        else
        {
            changed = -await ledger.TakeBackAsync(userId, -credits, CreditEntryKind.Adjustment, reference, cancellationToken);
        }

        logger.LogInformation("Admin {AdminId} changed user {UserId}'s credits by {Credits}", admin.Id, userId, changed);
        await messenger.SendTextAsync(admin.ChatId, BotTexts.English.Format("AdminGranted", changed, userId,
            await ledger.BalanceAsync(userId, cancellationToken)), cancellationToken: cancellationToken);
    }

    /// <summary>/refund CHARGE_ID: a Stars payment back to its buyer, with its credits taken back.</summary>
    public async Task RefundAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var (admin, words) = (request.User, request.Words);
        var english = BotTexts.English;
        if (words.Length != 1)
        {
            await messenger.SendTextAsync(admin.ChatId, english["AdminRefundUsage"], cancellationToken: cancellationToken);
            return;
        }

        var chargeId = words[0];
        if (chargeId.StartsWith("cs_", StringComparison.Ordinal))
        {
            await messenger.SendTextAsync(admin.ChatId, english["AdminRefundStripe"], cancellationToken: cancellationToken);
            return;
        }

        var (outcome, payment, taken) = await stars.RefundAsync(chargeId, cancellationToken);
        var reply = outcome switch
        {
            StarsRefundOutcome.NotFound => english["AdminRefundNotFound"],
            StarsRefundOutcome.AlreadyRefunded => english.Format("AdminRefundAlready", payment!.RefundedAt?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),
            _ => english.Format("AdminRefunded", payment!.Amount, payment.UserId, taken, payment.Credits),
        };
        await messenger.SendTextAsync(admin.ChatId, reply, cancellationToken: cancellationToken);

        // Also when it was already refunded: a /refund retried after a crash between the refund and this notice (or
        // the update handled again) still tells the buyer, and never twice.
        if (payment is not null)
        {
            await notices.TellOnceAsync(payment, PaymentNotice.Refund, async (texts, chatId) =>
                await messenger.SendTextAsync(chatId, texts.Format("PaymentRefunded", payment.Amount, taken,
                    await ledger.BalanceAsync(payment.UserId, cancellationToken)), cancellationToken: cancellationToken), cancellationToken);
        }
    }

    private async Task<string> StatsTextAsync(CancellationToken cancellationToken)
    {
        var payments = db.Set<Payment>().AsNoTracking();
        var paid = await payments.Where(p => p.Status == PaymentStatus.Paid || p.Status == PaymentStatus.Refunded)
            .GroupBy(p => new { p.Provider, p.Currency, p.Status })
            .Select(g => new { g.Key.Provider, g.Key.Currency, g.Key.Status, Count = g.Count(), Amount = g.Sum(p => p.Amount), Credits = g.Sum(p => p.Credits) })
            .ToListAsync(cancellationToken);
        var pending = await payments.CountAsync(p => p.Status == PaymentStatus.Pending, cancellationToken);
        var users = await db.Users.CountAsync(cancellationToken);
        var outstanding = await db.CreditLedger.SumAsync(e => (long)e.Amount, cancellationToken);
        var spent = await db.CreditLedger.Where(e => e.Kind == CreditEntryKind.Spend).SumAsync(e => -(long)e.Amount, cancellationToken);

        var stats = new StringBuilder();
        stats.Append(CultureInfo.InvariantCulture, $"Users: {users}\nCredits held: {outstanding}; spent: {spent}\nOpen card checkouts: {pending}");
        foreach (var line in paid.OrderBy(p => p.Provider).ThenBy(p => p.Currency).ThenBy(p => p.Status))
        {
            var amount = line.Provider == PaymentProvider.TelegramStars
                ? string.Create(CultureInfo.InvariantCulture, $"{line.Amount} Stars")
                : string.Create(CultureInfo.InvariantCulture, $"{line.Amount / 100m:0.00} {line.Currency.ToUpperInvariant()}");
            stats.Append(CultureInfo.InvariantCulture, $"\n{line.Provider} {line.Status.ToString().ToLowerInvariant()}: {line.Count} payments, {amount}, {line.Credits} credits");
        }

        // The latest payments with their ids, so an operator can find the charge id that /refund needs.
        var latest = await payments.OrderByDescending(p => p.Id).Take(10).ToListAsync(cancellationToken);
        if (latest.Count > 0)
        {
            stats.Append("\nLatest payments:");
            foreach (var p in latest)
            {
                stats.Append(CultureInfo.InvariantCulture,
                    $"\n{p.CreatedAt:yyyy-MM-dd HH:mm} user {p.UserId} {p.PackId} {Price(p)} {p.Status.ToString().ToLowerInvariant()}: {p.ExternalId}");
            }
        }

        return stats.ToString();
    }

    private static string Price(Payment payment) => payment.Provider == PaymentProvider.TelegramStars
        ? string.Create(CultureInfo.InvariantCulture, $"{payment.Amount} ⭐")
        : string.Create(CultureInfo.InvariantCulture, $"{payment.Amount / 100m:0.00} {payment.Currency.ToUpperInvariant()}");
}
