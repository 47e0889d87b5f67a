namespace FaceSwap.TelegramEmulator.Infrastructure;

public sealed record StoredFile(string FileId, string FileUniqueId, string FilePath, byte[] Bytes, string MimeType, string? FileName)
{
    public long Size => Bytes.LongLength;
}
