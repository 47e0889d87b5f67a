using System.Collections.Concurrent;
using System.Security.Cryptography;
using Telegram.Bot.Types;

namespace FaceSwap.TelegramEmulator.Infrastructure;

/// <summary>Every file that passed through the emulator, addressable by file_id and by file_path.</summary>
public sealed class FileStore
{
    private readonly ConcurrentDictionary<string, StoredFile> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StoredFile> _byPath = new(StringComparer.Ordinal);
    // A photo is several files; sending any of its file_ids again reuses the whole set, as Telegram does.
    private readonly ConcurrentDictionary<string, PhotoSize[]> _photoSets = new(StringComparer.Ordinal);
    private int _counter;

    public StoredFile Add(byte[] bytes, string mimeType, string? fileName, StoredFileKind kind)
    {
        var n = Interlocked.Increment(ref _counter);
        var (prefix, folder) = kind switch
        {
            StoredFileKind.Photo => ("AgACAgIAAxkBAAI", "photos"),
            StoredFileKind.Sticker => ("CAACAgIAAxkBAAI", "stickers"),
            _ => ("BQACAgIAAxkBAAI", "documents"),
        };
        var extension = Path.GetExtension(fileName);
        if (string.IsNullOrEmpty(extension))
        {
            extension = MimeTypes.ToExtension(mimeType);
        }

        var file = new StoredFile(
            FileId: prefix + RandomToken(40),
            FileUniqueId: "AQAD" + RandomToken(12),
            FilePath: $"{folder}/file_{n}{extension}",
            Bytes: bytes,
            MimeType: mimeType,
            FileName: fileName);
        _byId[file.FileId] = file;
        _byPath[file.FilePath] = file;
        return file;
    }

    public void RememberPhotoSet(PhotoSize[] sizes)
    {
        foreach (var size in sizes)
        {
            _photoSets[size.FileId] = sizes;
        }
    }

    public PhotoSize[]? FindPhotoSet(string fileId) => _photoSets.GetValueOrDefault(fileId);

    public StoredFile? Find(string fileId) => _byId.GetValueOrDefault(fileId);

    public StoredFile? FindByPath(string filePath) => _byPath.GetValueOrDefault(filePath);

    public static string RandomToken(int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return RandomNumberGenerator.GetString(alphabet, length);
    }
}
