namespace FaceSwap.TelegramEmulator.Control;

public sealed record UserFileSent(long UpdateId, long MessageId, string FileId);
