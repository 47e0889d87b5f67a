using FaceSwap.BotApi.Data;

namespace FaceSwap.BotApi.Conversation.Commands;

/// <param name="User">Who sent the command (already past the ban check).</param>
/// <param name="IsNewUser">True when this message created the user (their first contact).</param>
/// <param name="Texts">The bot's words in the user's language.</param>
/// <param name="Argument">What follows the command after a space, trimmed; null when nothing does.</param>
/// <param name="MessageId">The command message's id: makes an operator's /grant happen once however often it is delivered.</param>
public sealed record CommandRequest(BotUser User, bool IsNewUser, BotTexts Texts, string? Argument, int MessageId)
{
    /// <summary>The argument's words, split at spaces.</summary>
    public string[] Words => (Argument ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
