namespace FaceSwap.BotApi.Payments;

/// <summary>
/// What recording a card refund or dispute did: the payment row, whether this call changed it (false for a repeat,
/// a late event or a payment with nothing to take back), and the credits this call took from the balance.
/// </summary>
public sealed record TakeBackOutcome(Payment Payment, bool Applied, int TakenBack);
