namespace FaceSwap.TelegramEmulator.Control;

/// <summary>How many things the bot has done to chats so far (<c>GET /control/bot-activity</c>).</summary>
public sealed record BotActivityView(long Version);
