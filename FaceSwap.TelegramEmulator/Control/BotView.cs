namespace FaceSwap.TelegramEmulator.Control;

public sealed record BotView(long Id, string Username, string FirstName);
