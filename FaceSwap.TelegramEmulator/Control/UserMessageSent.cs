namespace FaceSwap.TelegramEmulator.Control;

public sealed record UserMessageSent(long UpdateId, long MessageId);
