using FaceSwap.BotApi.Conversation;
using Telegram.Bot.Types.ReplyMarkups;

namespace FaceSwap.BotApi.Payments;

/// <summary>The /buy keyboard and the callback data it carries (at most 64 bytes; pack ids are at most 16).</summary>
public static class PaymentKeyboards
{
    public const string BuyPrefix = "buy:";
    public const string StarsPrefix = "buy:stars:";

    /// <summary>What card buttons of /buy messages sent before sales in the chat became Stars-only carry.</summary>
    public const string RetiredCardPrefix = "buy:card:";

    /// <summary>
    /// One button per pack, for Telegram Stars only: Telegram requires digital goods sold inside a bot to be paid in
    /// Stars, so there is no card button in the chat whatever is configured. Card payments (Stripe) belong to sales made
    /// outside Telegram.
    /// </summary>
    public static InlineKeyboardMarkup Packs(BotTexts texts, IEnumerable<CreditPack> packs) => new(
        packs.Select(pack => new[] { InlineKeyboardButton.WithCallbackData(texts.Format("BuyStarsButton", pack.Credits, pack.Stars), StarsPrefix + pack.Id) }));
}
