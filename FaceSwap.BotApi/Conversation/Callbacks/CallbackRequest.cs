using FaceSwap.BotApi.Data;

namespace FaceSwap.BotApi.Conversation.Callbacks;

/// <param name="User">Who pressed the button (already past the ban check).</param>
/// <param name="Texts">The bot's words in the user's language.</param>
/// <param name="Data">The button's whole callback data.</param>
/// <param name="Argument">What follows the route's prefix (empty for an exact match).</param>
public sealed record CallbackRequest(BotUser User, BotTexts Texts, string Data, string Argument);
