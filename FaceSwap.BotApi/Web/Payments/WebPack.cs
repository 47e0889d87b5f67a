using FaceSwap.BotApi.Payments;

namespace FaceSwap.BotApi.Web.Payments;

/// <summary>A credit pack as the web app shows it: its card price (Stripe) and its Stars price (the chat).</summary>
public sealed record WebPack(string Id, int Credits, long CardAmount, string CardCurrency, string CardPrice, int Stars)
{
    public static WebPack From(CreditPack pack) =>
        new(pack.Id, pack.Credits, pack.StripeAmount, pack.StripeCurrency, pack.CardPrice, pack.Stars);
}
