namespace FaceSwap.TelegramEmulator.Control;

public sealed record CallbackSent(long UpdateId, string CallbackQueryId);
