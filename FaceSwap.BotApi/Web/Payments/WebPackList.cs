namespace FaceSwap.BotApi.Web.Payments;

/// <summary>The packs on sale; <see cref="CardPayments"/> is false when Stripe is not configured (Stars in the chat still sell them).</summary>
public sealed record WebPackList(bool CardPayments, IReadOnlyList<WebPack> Packs);
