namespace FaceSwap.BotApi.Data;

public enum InboxStatus
{
    Pending = 0,
    Handled = 1,
    /// <summary>Gave up after the maximum attempts; kept for the operator, the chat moves on.</summary>
    Failed = 2,
    /// <summary>Not handled: the chat sent more than its cap while earlier updates waited (a flood); kept for the operator.</summary>
    Shed = 3,
}
