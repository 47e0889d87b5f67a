using FaceSwap.BotApi.Conversation;
using FaceSwap.BotApi.Credits;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Telegram;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Payments;

namespace FaceSwap.BotApi.Payments;

/// <summary>
/// Credit packs for Telegram Stars: invoices in XTR with no provider token, the pre-checkout check, crediting the
/// successful payment once per charge id, and refunds.
/// </summary>
public sealed class StarsPayments(
    ITelegramBotClient bot,
    BotMessenger messenger,
    PaymentBook book,
    BuyerNotices notices,
    CreditLedger ledger,
    IOptions<PaymentsOptions> options,
    Operations.FaceSwapMetrics metrics,
    ILogger<StarsPayments> logger)
{
    public const string Currency = "XTR";

    public async Task SendInvoiceAsync(BotUser user, BotTexts texts, CreditPack pack, CancellationToken cancellationToken)
    {
        var title = texts.Format("InvoiceTitle", pack.Credits);
        // Digital goods in a bot are paid in Stars: currency XTR and no provider token.
        await messenger.SendInvoiceAsync(user.ChatId, title, texts.Format("InvoiceDescription", pack.Credits),
            new InvoicePayload(pack.Id, pack.Credits, user.Id).ToString(), Currency, [new LabeledPrice(title, pack.Stars)], cancellationToken);
    }

    /// <summary>
    /// Telegram waits at most 10 s for this answer, so it checks only what is local and fast: the invoice is for
    /// this user, and its pack is still on sale at the invoiced price.
    /// </summary>
    public async Task AnswerPreCheckoutAsync(PreCheckoutQuery query, CancellationToken cancellationToken)
    {
        var texts = new BotTexts(query.From.LanguageCode);
        var payload = InvoicePayload.Parse(query.InvoicePayload);
        var pack = payload is null ? null : options.Value.FindPack(payload.PackId);
        string? error = null;
        if (payload is null || pack is null || pack.Credits != payload.Credits || pack.Stars != query.TotalAmount || query.Currency != Currency)
        {
            error = texts["PackUnavailable"];
        }
        else if (payload.UserId != query.From.Id)
        {
            error = texts["InvoiceForSomeoneElse"];
        }

        if (error is not null)
        {
            logger.LogWarning("Declining pre-checkout {QueryId} of user {UserId} for payload {Payload}", query.Id, query.From.Id, query.InvoicePayload);
            metrics.RecordPaymentFailure("stars", "pre_checkout_declined");
        }

        try
        {
            await bot.AnswerPreCheckoutQuery(query.Id, error, cancellationToken);
        }
        catch (ApiRequestException ex) when (ex.ErrorCode == 400)
        {
            // The query expired (answered too late): the buyer was not charged, and repeating cannot help.
            logger.LogWarning(ex, "Pre-checkout {QueryId} could not be answered", query.Id);
        }
    }

    /// <summary>Credits a paid invoice once per Telegram charge id and thanks the buyer.</summary>
    public async Task HandleSuccessfulPaymentAsync(BotUser user, BotTexts texts, SuccessfulPayment paid, CancellationToken cancellationToken)
    {
        var payload = InvoicePayload.Parse(paid.InvoicePayload);
        if (payload is null)
        {
            // Telegram took the Stars: keep the record for the operator rather than crediting a guess.
            logger.LogError("Successful payment {ChargeId} of user {UserId} has an unreadable payload {Payload}; refund it with /refund",
                paid.TelegramPaymentChargeId, user.Id, paid.InvoicePayload);
            await messenger.SendTextAsync(user.ChatId, texts["PaymentNeedsSupport"], cancellationToken: cancellationToken);
            return;
        }

        var outcome = await book.RecordPaidAsync(new Payment
        {
            Provider = PaymentProvider.TelegramStars,
            ExternalId = paid.TelegramPaymentChargeId,
            // The payer, not the payload's user: a successful payment is always the sender's own.
            UserId = user.Id,
            PackId = payload.PackId,
            Credits = payload.Credits,
            Amount = paid.TotalAmount,
            Currency = paid.Currency,
        }, cancellationToken);

        if (outcome.NewlyCredited)
        {
            logger.LogInformation("Stars charge {ChargeId} credited {Credits} credits to user {UserId}", paid.TelegramPaymentChargeId, payload.Credits, user.Id);
        }

        await notices.TellOnceAsync(outcome.Payment, PaymentNotice.Outcome, async (_, _) =>
        {
            var balance = await ledger.BalanceAsync(user.Id, cancellationToken);
            await messenger.SendTextAsync(user.ChatId, texts.Format("PaymentThanks", outcome.Payment.Credits, balance), cancellationToken: cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Telegram's refunded_payment message: takes the credits back unless the /refund command already did.</summary>
    public async Task HandleRefundedPaymentAsync(BotUser user, RefundedPayment refunded, CancellationToken cancellationToken)
    {
        var payment = await book.FindAsync(PaymentProvider.TelegramStars, refunded.TelegramPaymentChargeId, cancellationToken);
        if (payment is null)
        {
            logger.LogWarning("Refund of unknown Stars charge {ChargeId} for user {UserId}", refunded.TelegramPaymentChargeId, user.Id);
            return;
        }

        await book.RecordRefundAsync(payment, cancellationToken);
    }

    /// <summary>An operator's refund: Stars back through Telegram, then the credits back from the ledger.</summary>
    public async Task<(StarsRefundOutcome Outcome, Payment? Payment, int TakenBack)> RefundAsync(string chargeId, CancellationToken cancellationToken)
    {
        var payment = await book.FindAsync(PaymentProvider.TelegramStars, chargeId, cancellationToken);
        if (payment is null)
        {
            return (StarsRefundOutcome.NotFound, null, 0);
        }

        if (payment.Status == PaymentStatus.Refunded)
        {
            return (StarsRefundOutcome.AlreadyRefunded, payment, payment.CreditsTakenBack);
        }

        try
        {
            await bot.RefundStarPayment(payment.UserId, chargeId, cancellationToken);
        }
        catch (ApiRequestException ex) when (ex.Message.Contains("CHARGE_ALREADY_REFUNDED", StringComparison.Ordinal))
        {
            // Refunded at Telegram but not here (a crash in between): finish the bookkeeping, once.
            var late = await book.RecordRefundAsync(payment, cancellationToken);
            logger.LogWarning("Stars charge {ChargeId} was already refunded at Telegram; took back {Credits} credits", chargeId, late);
            return (StarsRefundOutcome.AlreadyRefunded, payment, late);
        }

        var taken = await book.RecordRefundAsync(payment, cancellationToken);
        logger.LogInformation("Refunded Stars charge {ChargeId} of user {UserId}; took back {Credits} credits", chargeId, payment.UserId, taken);
        return (StarsRefundOutcome.Refunded, payment, taken);
    }
}
