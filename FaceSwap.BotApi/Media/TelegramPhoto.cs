using Telegram.Bot.Types;

namespace FaceSwap.BotApi.Media;

/// <summary>
/// A photo as Telegram names it: the file id to download and, when Telegram said it, the size in bytes. From a
/// message, or from a reference the conversation kept (the current face, a saved face), whose size is not known.
/// </summary>
public sealed record TelegramPhoto(string FileId, long? Size = null)
{
    /// <summary>A photo, or an image sent as a file (uncompressed); null for anything else.</summary>
    public static TelegramPhoto? From(Message message) => message switch
    {
        { Photo: [.., var largest] } => new(largest.FileId, largest.FileSize),
        { Document: { MimeType: { } mime } document } when mime.StartsWith("image/", StringComparison.OrdinalIgnoreCase) =>
            new(document.FileId, document.FileSize),
        _ => null,
    };
}
