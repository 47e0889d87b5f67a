namespace FaceSwap.BotApi.Data;

public enum CreditEntryKind
{
    Grant = 0,
    Purchase = 1,
    Spend = 2,
    Refund = 3,
    Adjustment = 4,
}
