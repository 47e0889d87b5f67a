using Telegram.Bot.Exceptions;

namespace FaceSwap.BotApi.Telegram;

/// <summary>Which Telegram errors are final and which pass, as the Bot API answers them.</summary>
public static class TelegramFailures
{
    /// <summary>403 (blocked by the user, user deactivated, kicked) or 400 "chat not found": no message will get through.</summary>
    public static bool IsChatUnreachable(ApiRequestException exception) =>
        exception.ErrorCode == 403 ||
        (exception.ErrorCode == 400 && (exception.Message.Contains("chat not found", StringComparison.OrdinalIgnoreCase) ||
                                        exception.Message.Contains("user not found", StringComparison.OrdinalIgnoreCase) ||
                                        exception.Message.Contains("PEER_ID_INVALID", StringComparison.OrdinalIgnoreCase)));

    /// <summary>
    /// Whether sending the same request again can never succeed: any 4xx but 429 (too many requests) is Telegram
    /// refusing this request as it stands. 429, 5xx and network failures pass.
    /// </summary>
    public static bool IsFinal(Exception exception) => exception switch
    {
        ChatUnreachableException => true,
        ApiRequestException { ErrorCode: >= 400 and < 500 and not 429 } => true,
        _ => false,
    };
}
