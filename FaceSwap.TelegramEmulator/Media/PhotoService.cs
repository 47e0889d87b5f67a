using FaceSwap.TelegramEmulator.Infrastructure;
using Microsoft.Extensions.Options;
using SkiaSharp;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace FaceSwap.TelegramEmulator.Media;

/// <summary>
/// Turns uploaded bytes into what Telegram would store: a photo becomes several re-encoded JPEG sizes
/// (smallest first, largest last), a document keeps its bytes.
/// </summary>
public sealed class PhotoService(FileStore files, IOptions<EmulatorOptions> options)
{
    // Telegram's own thumbnail ladder ("s", "m", "x"); the largest size is capped by PhotoMaxSide.
    private static readonly int[] ThumbnailSides = [90, 320, 800];

    /// <summary>The displayed size (EXIF orientation applied), without decoding the pixels.</summary>
    public static bool TryReadDimensions(byte[] bytes, out int width, out int height)
    {
        using var codec = SKCodec.Create(new SKMemoryStream(bytes));
        width = codec?.Info.Width ?? 0;
        height = codec?.Info.Height ?? 0;
        if (codec is not null && SwapsAxes(codec.EncodedOrigin))
        {
            (width, height) = (height, width);
        }

        return codec is not null && width > 0 && height > 0;
    }

    /// <summary>Stores a photo as a set of sizes; null when the bytes are not a decodable image.</summary>
    public PhotoSize[]? StorePhoto(byte[] bytes)
    {
        // SKBitmap.Decode(byte[]) throws on unknown formats instead of returning null, so probe with a codec first.
        using var codec = SKCodec.Create(new SKMemoryStream(bytes));
        if (codec is null)
        {
            return null;
        }

        using var decoded = SKBitmap.Decode(codec);
        if (decoded is null || decoded.Width == 0 || decoded.Height == 0)
        {
            return null;
        }

        // Phones store photos sideways plus an EXIF orientation; Telegram sends them upright.
        using var original = ApplyOrigin(decoded, codec.EncodedOrigin);

        var longest = Math.Max(original.Width, original.Height);
        var largestSide = Math.Min(longest, options.Value.PhotoMaxSide);
        var sides = ThumbnailSides.Where(side => side < largestSide).Append(largestSide).ToArray();

        var sizes = new PhotoSize[sides.Length];
        for (var i = 0; i < sides.Length; i++)
        {
            var scale = (double)sides[i] / longest;
            var width = Math.Max(1, (int)Math.Round(original.Width * scale));
            var height = Math.Max(1, (int)Math.Round(original.Height * scale));
            var jpeg = EncodeJpeg(original, width, height);
            var stored = files.Add(jpeg, "image/jpeg", null, StoredFileKind.Photo);
            sizes[i] = new PhotoSize
            {
                FileId = stored.FileId,
                FileUniqueId = stored.FileUniqueId,
                FileSize = stored.Size,
                Width = width,
                Height = height,
            };
        }

        files.RememberPhotoSet(sizes);
        return sizes;
    }

    public Document StoreDocument(byte[] bytes, string? fileName, string? mimeType)
    {
        var mime = string.IsNullOrWhiteSpace(mimeType) || mimeType == "application/octet-stream"
            ? MimeTypes.FromFileName(fileName)
            : mimeType;
        var stored = files.Add(bytes, mime, fileName, StoredFileKind.Document);
        return new Document
        {
            FileId = stored.FileId,
            FileUniqueId = stored.FileUniqueId,
            FileSize = stored.Size,
            FileName = fileName ?? Path.GetFileName(stored.FilePath),
            MimeType = mime,
        };
    }

    /// <summary>A plain 512x512 WebP sticker, drawn here so tests need no sticker files.</summary>
    public Sticker StoreSticker(string emoji)
    {
        using var bitmap = new SKBitmap(512, 512);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Transparent);
            using var paint = new SKPaint { Color = new SKColor(0xFF, 0xC1, 0x07), IsAntialias = true };
            canvas.DrawCircle(256, 256, 240, paint);
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Webp, 90);
        var stored = files.Add(data.ToArray(), "image/webp", null, StoredFileKind.Sticker);
        return new Sticker
        {
            FileId = stored.FileId,
            FileUniqueId = stored.FileUniqueId,
            FileSize = stored.Size,
            Type = StickerType.Regular,
            Width = 512,
            Height = 512,
            IsAnimated = false,
            IsVideo = false,
            Emoji = emoji,
        };
    }

    private static bool SwapsAxes(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    private static SKBitmap ApplyOrigin(SKBitmap bitmap, SKEncodedOrigin origin)
    {
        if (origin == SKEncodedOrigin.TopLeft)
        {
            return bitmap.Copy();
        }

        var swap = SwapsAxes(origin);
        var upright = new SKBitmap(swap ? bitmap.Height : bitmap.Width, swap ? bitmap.Width : bitmap.Height);
        using var canvas = new SKCanvas(upright);
        var (w, h) = (bitmap.Width, bitmap.Height);
        switch (origin)
        {
            case SKEncodedOrigin.TopRight: canvas.Scale(-1, 1, w / 2f, 0); break;
            case SKEncodedOrigin.BottomRight: canvas.RotateDegrees(180, w / 2f, h / 2f); break;
            case SKEncodedOrigin.BottomLeft: canvas.Scale(1, -1, 0, h / 2f); break;
            case SKEncodedOrigin.LeftTop: canvas.Translate(h, 0); canvas.RotateDegrees(90); canvas.Scale(1, -1, 0, h / 2f); break;
            case SKEncodedOrigin.RightTop: canvas.Translate(h, 0); canvas.RotateDegrees(90); break;
            case SKEncodedOrigin.RightBottom: canvas.Translate(0, w); canvas.RotateDegrees(-90); canvas.Scale(1, -1, 0, h / 2f); break;
            case SKEncodedOrigin.LeftBottom: canvas.Translate(0, w); canvas.RotateDegrees(-90); break;
        }

        using var image = SKImage.FromBitmap(bitmap);
        canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest));
        return upright;
    }

    private static byte[] EncodeJpeg(SKBitmap original, int width, int height)
    {
        using var resized = original.Width == width && original.Height == height
            ? original.Copy()
            : original.Resize(new SKImageInfo(width, height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        using var image = SKImage.FromBitmap(resized);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 87);
        return data.ToArray();
    }
}
