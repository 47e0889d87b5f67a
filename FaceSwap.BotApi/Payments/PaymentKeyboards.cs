using FaceSwap.BotApi.Conversation;
using Telegram.Bot.Types.ReplyMarkups;

namespace FaceSwap.BotApi.Payments;

/// <summary>The /buy keyboard and the callback data it carries (at most 64 bytes; pack ids are at most 16).</summary>
public static class PaymentKeyboards
{
    public const string BuyPrefix = "buy:";
    public const string StarsPrefix = "buy:stars:";
    public const string CardPrefix = "buy:card:";

    /// <summary>One row per pack: Stars always (Telegram needs no provider for them), card only when Stripe is set up.</summary>
    public static InlineKeyboardMarkup Packs(BotTexts texts, IEnumerable<CreditPack> packs, bool cardEnabled) => new(
        packs.Select(pack =>
        {
            var row = new List<InlineKeyboardButton>
            {
                InlineKeyboardButton.WithCallbackData(texts.Format("BuyStarsButton", pack.Credits, pack.Stars), StarsPrefix + pack.Id),
            };
            if (cardEnabled)
            {
                row.Add(InlineKeyboardButton.WithCallbackData(texts.Format("BuyCardButton", pack.Credits, pack.CardPrice), CardPrefix + pack.Id));
            }

            return row;
        }));

    public static InlineKeyboardMarkup Checkout(BotTexts texts, string price, string url) => new(
        [[InlineKeyboardButton.WithUrl(texts.Format("CardCheckoutButton", price), url)]]);
}
