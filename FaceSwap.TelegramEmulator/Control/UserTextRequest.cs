namespace FaceSwap.TelegramEmulator.Control;

public sealed record UserTextRequest(string Text, string? FirstName = null, string? LanguageCode = null);
