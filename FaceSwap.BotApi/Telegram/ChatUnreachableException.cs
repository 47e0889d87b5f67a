namespace FaceSwap.BotApi.Telegram;

/// <summary>
/// Telegram refuses every message to this chat, and will until the user acts (they blocked the bot, deleted their
/// account, or the chat does not exist). Final: retrying cannot help.
/// </summary>
public sealed class ChatUnreachableException(long chatId, string reason, Exception inner) : Exception($"Chat {chatId} is unreachable: {reason}", inner)
{
    public long ChatId { get; } = chatId;

    public string Reason { get; } = reason;
}
