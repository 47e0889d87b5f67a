namespace FaceSwap.BotApi.Payments;

public enum StarsRefundOutcome
{
    Refunded,
    NotFound,
    AlreadyRefunded,
}
