namespace FaceSwap.TelegramEmulator.Infrastructure;

public sealed record CallbackAnswer(string CallbackQueryId, long MessageId, string? Data, string? Text, bool ShowAlert, string? Url, DateTimeOffset AnsweredAt);
