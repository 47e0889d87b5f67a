using System.Globalization;
using FaceSwap.BotApi.Conversation;
using FaceSwap.BotApi.Credits;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Telegram;
using Microsoft.EntityFrameworkCore;
using Stripe;
using Stripe.Checkout;
using Telegram.Bot.Exceptions;

namespace FaceSwap.BotApi.Payments;

/// <summary>
/// Turns Checkout events into credits: <c>checkout.session.completed</c> with payment_status paid, or
/// <c>checkout.session.async_payment_succeeded</c>, credits the session once (its id is the key, whatever the
/// order or number of deliveries); <c>async_payment_failed</c> tells the buyer. Other events are ignored.
/// </summary>
public sealed class StripeFulfilment(
    FaceSwapDbContext db,
    PaymentBook book,
    CreditLedger ledger,
    BotMessenger messenger,
    ILogger<StripeFulfilment> logger)
{
    public async Task HandleAsync(Event stripeEvent, CancellationToken cancellationToken)
    {
        var session = stripeEvent.Data.Object as Session;
        switch (stripeEvent.Type)
        {
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

        await TellOnceAsync(outcome.Payment, async (texts, chatId) =>
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
            await TellOnceAsync(payment, (texts, chatId) =>
                messenger.SendTextAsync(chatId, texts["PaymentFailed"], cancellationToken: cancellationToken), cancellationToken);
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
        };
    }

    /// <summary>
    /// Tells the buyer in Telegram, once across concurrent and repeated deliveries. If sending fails the claim is
    /// released and the error answers Stripe non-2xx, so its redelivery tells them; a user who blocked the bot is
    /// not retried.
    /// </summary>
    private async Task TellOnceAsync(Payment payment, Func<BotTexts, long, Task> tell, CancellationToken cancellationToken)
    {
        if (!await book.TryClaimNotificationAsync(payment.Id, cancellationToken))
        {
            return;
        }

        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == payment.UserId, cancellationToken);
        try
        {
            // A private chat's id is the user's id, so even a user unknown here can be written to.
            await tell(new BotTexts(user?.LanguageCode), user?.ChatId ?? payment.UserId);
        }
        catch (ApiRequestException ex) when (ex.ErrorCode is 403 or 400)
        {
            logger.LogWarning(ex, "Could not tell user {UserId} about Stripe payment {SessionId}", payment.UserId, payment.ExternalId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await book.ReleaseNotificationAsync(payment.Id);
            throw;
        }
    }
}
