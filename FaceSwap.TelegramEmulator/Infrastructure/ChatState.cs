using System.Text.Json.Serialization;

namespace FaceSwap.TelegramEmulator.Infrastructure;

/// <summary>Whether the bot can reach a simulated user's chat, and if not, which of Telegram's errors it gets.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ChatState>))]
public enum ChatState
{
    /// <summary>The bot may send to the chat.</summary>
    Active,

    /// <summary>The user blocked the bot: 403 "Forbidden: bot was blocked by the user".</summary>
    Blocked,

    /// <summary>The user deleted their account: 403 "Forbidden: user is deactivated".</summary>
    Deactivated,

    /// <summary>Telegram does not know the chat (any more): 400 "Bad Request: chat not found".</summary>
    NotFound,
}
