namespace FaceSwap.BotApi.Web.Payments;

/// <summary>The body of <c>POST /web/api/checkout</c>.</summary>
public sealed record WebCheckoutRequest(string? PackId);
