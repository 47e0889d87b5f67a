namespace FaceSwap.TelegramEmulator.Control;

public sealed record PayRequest(long MessageId);
