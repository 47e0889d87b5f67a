using FaceSwap.BotApi.Conversation;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Telegram;
using Microsoft.EntityFrameworkCore;

namespace FaceSwap.BotApi.Payments;

/// <summary>
/// Tells a buyer in Telegram about their payment (thanks, failure, refund, dispute), once across concurrent and
/// repeated handling: the notice is claimed on the payment's row first (<see cref="PaymentBook.TryClaimNotificationAsync"/>).
/// If sending fails the claim is released and the error goes up, so whatever retries the work (Stripe's redelivery,
/// the inbox's retry of an update) tells them; a buyer who blocked the bot or never started it is not retried.
/// </summary>
public sealed class BuyerNotices(FaceSwapDbContext db, PaymentBook book, ILogger<BuyerNotices> logger)
{
    /// <param name="tell">Sends the notice in the buyer's language to their chat.</param>
    public async Task TellOnceAsync(Payment payment, PaymentNotice notice, Func<BotTexts, long, Task> tell, CancellationToken cancellationToken)
    {
        if (!await book.TryClaimNotificationAsync(payment.Id, notice, cancellationToken))
        {
            return;
        }

        var buyer = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == payment.UserId, cancellationToken);
        try
        {
            // A private chat's id is the user's id, so even a buyer unknown here can be written to.
            await tell(new BotTexts(buyer?.LanguageCode), buyer?.ChatId ?? payment.UserId);
        }
        catch (Exception ex) when (TelegramFailures.IsFinal(ex))
        {
            // BotMessenger reports a blocked or unknown chat as ChatUnreachableException: a buyer on the web who never
            // started the bot has no chat to tell, and trying again cannot change that.
            logger.LogWarning(ex, "Could not tell user {UserId} about payment {PaymentId} ({Notice})", payment.UserId, payment.Id, notice);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await book.ReleaseNotificationAsync(payment.Id, notice);
            throw;
        }
    }
}
