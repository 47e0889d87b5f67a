using System.Globalization;
using FaceSwap.BotApi.Conversation;
using FaceSwap.BotApi.Credits;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Operations;
using FaceSwap.BotApi.Operations.Alerts;
using FaceSwap.BotApi.Telegram;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;

namespace FaceSwap.BotApi.Payments;

/// <summary>
/// Turns Checkout events into credits: <c>checkout.session.completed</c> with payment_status paid, or
/// <c>checkout.session.async_payment_succeeded</c>, credits the session once (its id is the key, whatever the
/// order or number of deliveries); <c>async_payment_failed</c> tells the buyer. <c>charge.refunded</c> and
/// <c>charge.dispute.created</c> take the pack's credits back, once, found by the charge's PaymentIntent. Other
/// events are ignored.
/// </summary>
public sealed class StripeFulfilment(
    PaymentBook book,
    BuyerNotices notices,
    CreditLedger ledger,
    BotMessenger messenger,
    IAlertSink alerts,
    IOptions<OpsOptions> ops,
    ILogger<StripeFulfilment> logger)
{
    public async Task HandleAsync(Event stripeEvent, CancellationToken cancellationToken)
    {
        var session = stripeEvent.Data.Object as Session;
        switch (stripeEvent.Type)
        {
            case EventTypes.ChargeRefunded when stripeEvent.Data.Object is Charge charge:
                await RefundAsync(stripeEvent, charge, cancellationToken);
                break;
            case EventTypes.ChargeDisputeCreated when stripeEvent.Data.Object is Dispute dispute:
                await DisputeAsync(stripeEvent, dispute, cancellationToken);
                break;
            // charge.dispute.closed is deliberately not handled: a won dispute gives the operator the money back, but
            // the credits stay taken (the buyer asked their bank for the money, not for the credits); the operator can
            // give them back with /grant. A lost one changes nothing more here.
            case EventTypes.CheckoutSessionCompleted when session is not null:
                if (session.PaymentStatus is "paid")
                {
                    await FulfilAsync(stripeEvent, session, cancellationToken);
                }
                else
                {
                    // A delayed method (bank debit): the async_payment_* event decides later.
                    logger.LogInformation("Checkout session {SessionId} completed with payment {PaymentStatus}; waiting", session.Id, session.PaymentStatus);
                }

                break;
            case EventTypes.CheckoutSessionAsyncPaymentSucceeded when session is not null:
                await FulfilAsync(stripeEvent, session, cancellationToken);
                break;
            case EventTypes.CheckoutSessionAsyncPaymentFailed when session is not null:
                await FailAsync(stripeEvent, session, cancellationToken);
                break;
            default:
                logger.LogDebug("Ignoring Stripe event {EventId} of type {Type}", stripeEvent.Id, stripeEvent.Type);
                break;
        }
    }

    private async Task FulfilAsync(Event stripeEvent, Session session, CancellationToken cancellationToken)
    {
        if (Describe(stripeEvent, session) is not { } reported)
        {
            return;
        }

        var outcome = await book.RecordPaidAsync(reported, cancellationToken);
        if (outcome.NewlyCredited)
        {
            logger.LogInformation("Stripe session {SessionId} credited {Credits} credits to user {UserId} (event {EventId})",
                session.Id, outcome.Payment.Credits, outcome.Payment.UserId, stripeEvent.Id);
        }

        await notices.TellOnceAsync(outcome.Payment, PaymentNotice.Outcome, async (texts, chatId) =>
        {
            var balance = await ledger.BalanceAsync(outcome.Payment.UserId, cancellationToken);
            await messenger.SendTextAsync(chatId, texts.Format("PaymentThanks", outcome.Payment.Credits, balance), cancellationToken: cancellationToken);
        }, cancellationToken);
    }

    private async Task FailAsync(Event stripeEvent, Session session, CancellationToken cancellationToken)
    {
        if (Describe(stripeEvent, session) is not { } reported)
        {
            return;
        }

        var (payment, changed) = await book.RecordFailedAsync(reported, cancellationToken);
        if (changed)
        {
            await notices.TellOnceAsync(payment, PaymentNotice.Outcome, (texts, chatId) =>
                messenger.SendTextAsync(chatId, texts["PaymentFailed"], cancellationToken: cancellationToken), cancellationToken);
        }
    }

    private async Task RefundAsync(Event stripeEvent, Charge charge, CancellationToken cancellationToken)
    {
        // A charge of this bot's has a PaymentIntent (Checkout makes one); a charge without one is someone else's.
        var outcome = charge.PaymentIntentId is { Length: > 0 } intentId
            ? await book.RecordCardRefundAsync(intentId, charge.AmountRefunded, charge.Amount, cancellationToken)
            : null;
        if (outcome is null)
        {
            // Another integration's charge, or a session this bot never credited: nothing to take back.
            logger.LogWarning("Stripe event {EventId}: refunded charge {ChargeId} (PaymentIntent {PaymentIntentId}) is no FaceSwap payment; ignored",
                stripeEvent.Id, charge.Id, charge.PaymentIntentId);
            return;
        }

        var payment = outcome.Payment;
        if (outcome.Applied)
        {
            logger.LogInformation("Stripe charge {ChargeId} of session {SessionId} refunded {AmountRefunded} of {Amount}; took back {Credits} credits from user {UserId} (event {EventId})",
                charge.Id, payment.ExternalId, charge.AmountRefunded, charge.Amount, outcome.TakenBack, payment.UserId, stripeEvent.Id);
        }

        await TellTakenBackAsync(payment, PaymentNotice.Refund,
            payment.Status == PaymentStatus.Refunded ? "CardRefundFull" : "CardRefundPartial", cancellationToken);
    }

    private async Task DisputeAsync(Event stripeEvent, Dispute dispute, CancellationToken cancellationToken)
    {
        var outcome = dispute.PaymentIntentId is { Length: > 0 } intentId
            ? await book.RecordCardDisputeAsync(intentId, cancellationToken)
            : null;
        if (outcome is null)
        {
            logger.LogWarning("Stripe event {EventId}: dispute {DisputeId} of charge {ChargeId} (PaymentIntent {PaymentIntentId}) is no FaceSwap payment; ignored",
                stripeEvent.Id, dispute.Id, dispute.ChargeId, dispute.PaymentIntentId);
            return;
        }

        var payment = outcome.Payment;
        if (outcome.Applied)
        {
            logger.LogWarning("Stripe dispute {DisputeId} ({Reason}) of session {SessionId}: took back {Credits} credits from user {UserId} (event {EventId})",
                dispute.Id, dispute.Reason, payment.ExternalId, outcome.TakenBack, payment.UserId, stripeEvent.Id);
            await AlertDisputeAsync(dispute, outcome, cancellationToken);
        }

        await TellTakenBackAsync(payment, PaymentNotice.CardDispute, "CardDispute", cancellationToken);
    }

    /// <summary>
    /// Tells the buyer the totals, not this event's share: a notice retried after a failed send, or one that covers
    /// several refund steps, is then still right.
    /// </summary>
    private Task TellTakenBackAsync(Payment payment, PaymentNotice notice, string textKey, CancellationToken cancellationToken) =>
        notices.TellOnceAsync(payment, notice, async (texts, chatId) =>
        {
            var balance = await ledger.BalanceAsync(payment.UserId, cancellationToken);
            await messenger.SendTextAsync(chatId, texts.Format(textKey, payment.Credits, payment.CreditsTakenBack, balance), cancellationToken: cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// A dispute needs the operator's answer in the Stripe dashboard before its deadline, so it goes to the alert
    /// chat. Best effort: the credits are already taken back, and failing the webhook for the alert would only
    /// make Stripe redeliver an event that is now a no-op.
    /// </summary>
    private async Task AlertDisputeAsync(Dispute dispute, TakeBackOutcome outcome, CancellationToken cancellationToken)
    {
        if (ops.Value.AlertChatId is null)
        {
            return;
        }

        var payment = outcome.Payment;
        var amount = string.Create(CultureInfo.InvariantCulture, $"{dispute.Amount / 100m:0.00} {dispute.Currency?.ToUpperInvariant()}");
        var dueBy = dispute.EvidenceDetails?.DueBy is { } due ? string.Create(CultureInfo.InvariantCulture, $" by {due:yyyy-MM-dd HH:mm} UTC") : "";
        var text = string.Create(CultureInfo.InvariantCulture,
            $"⚠️ Stripe dispute {dispute.Id} ({dispute.Reason}, {amount}) on session {payment.ExternalId} of user {payment.UserId}: took back {outcome.TakenBack} of {payment.Credits} credits. Answer it in the Stripe dashboard{dueBy}.");
        try
        {
            await alerts.SendAsync(text, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Alert about Stripe dispute {DisputeId} not delivered", dispute.Id);
        }
    }

    /// <summary>The payment a session describes, from the metadata this bot put on it; null for someone else's session.</summary>
    private Payment? Describe(Event stripeEvent, Session session)
    {
        var metadata = session.Metadata ?? new Dictionary<string, string>();
        var userText = session.ClientReferenceId ?? metadata.GetValueOrDefault(StripeCheckout.UserIdKey);
        if (!long.TryParse(userText, NumberStyles.None, CultureInfo.InvariantCulture, out var userId)
            || metadata.GetValueOrDefault(StripeCheckout.PackIdKey) is not { Length: > 0 } packId
            || !int.TryParse(metadata.GetValueOrDefault(StripeCheckout.CreditsKey), NumberStyles.None, CultureInfo.InvariantCulture, out var credits)
            || credits <= 0)
        {
            // Not a session this bot made (another integration on the same account): acknowledge and leave it.
            logger.LogWarning("Stripe event {EventId}: session {SessionId} carries no FaceSwap user and pack; ignored", stripeEvent.Id, session.Id);
            return null;
        }

        return new Payment
        {
            Provider = PaymentProvider.Stripe,
            ExternalId = session.Id,
            UserId = userId,
            PackId = packId,
            Credits = credits,
            Amount = session.AmountTotal ?? 0,
            Currency = session.Currency ?? "",
            PaymentIntentId = session.PaymentIntentId,
        };
    }
}
