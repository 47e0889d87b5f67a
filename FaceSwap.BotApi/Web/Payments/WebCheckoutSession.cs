namespace FaceSwap.BotApi.Web.Payments;

/// <summary>The Stripe Checkout page to send the buyer to.</summary>
public sealed record WebCheckoutSession(string Url);
