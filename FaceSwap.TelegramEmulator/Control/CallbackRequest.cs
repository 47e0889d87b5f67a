namespace FaceSwap.TelegramEmulator.Control;

public sealed record CallbackRequest(long MessageId, string Data);
