using Microsoft.Extensions.Options;
using SkiaSharp;

namespace FaceSwap.BotApi.Media;

public sealed class ImageIntakeOptions
{
    /// <summary>Photos above this are refused (decoding them could take gigabytes).</summary>
    public long MaxPixels { get; set; } = 40_000_000;

    /// <summary>Photos above this are downscaled on receipt: the engine needs no more, and Redis keeps less.</summary>
    public long EnginePixels { get; set; } = 4_000_000;
}

public enum IntakeVerdict
{
    Accepted,
    NotAnImage,
    TooLarge,
}

public sealed record IntakeResult(IntakeVerdict Verdict, byte[]? Image = null, int Width = 0, int Height = 0);

/// <summary>Checks an uploaded photo from its header before decoding anything, and downscales big ones.</summary>
public sealed class ImageIntake(IOptions<ImageIntakeOptions> options)
{
    public IntakeResult Accept(byte[] bytes)
    {
        using var data = bytes.Length == 0 ? null : SKData.CreateCopy(bytes);
        using var codec = data is null ? null : SKCodec.Create(data);
        if (codec is null || codec.Info.Width <= 0 || codec.Info.Height <= 0)
        {
            return new(IntakeVerdict.NotAnImage);
        }

        var (width, height) = (codec.Info.Width, codec.Info.Height);
        var pixels = (long)width * height;
        if (pixels > options.Value.MaxPixels)
        {
            return new(IntakeVerdict.TooLarge, Width: width, Height: height);
        }

        if (pixels <= options.Value.EnginePixels)
        {
            return new(IntakeVerdict.Accepted, bytes, width, height);
        }

        var downscaled = Downscale(codec, options.Value.EnginePixels);
        return downscaled is null ? new(IntakeVerdict.NotAnImage) : new(IntakeVerdict.Accepted, downscaled, width, height);
    }

    /// <summary>Re-encodes at most <paramref name="maxPixels"/>, applying the EXIF orientation (re-encoding drops EXIF).</summary>
    private static byte[]? Downscale(SKCodec codec, long maxPixels)
    {
        using var decoded = SKBitmap.Decode(codec);
        if (decoded is null)
        {
            return null;
        }

        var scale = Math.Sqrt((double)maxPixels / ((long)decoded.Width * decoded.Height));
        var info = new SKImageInfo(Math.Max(1, (int)(decoded.Width * scale)), Math.Max(1, (int)(decoded.Height * scale)));
        using var resized = decoded.Resize(info, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        using var oriented = ApplyOrigin(resized, codec.EncodedOrigin);
        using var image = SKImage.FromBitmap(oriented);
        using var encoded = image.Encode(SKEncodedImageFormat.Jpeg, 92);
        return encoded.ToArray();
    }

    private static SKBitmap ApplyOrigin(SKBitmap bitmap, SKEncodedOrigin origin)
    {
        if (origin == SKEncodedOrigin.TopLeft)
        {
            return bitmap.Copy();
        }

        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var result = new SKBitmap(swap ? bitmap.Height : bitmap.Width, swap ? bitmap.Width : bitmap.Height);
        using var canvas = new SKCanvas(result);
        var (w, h) = (bitmap.Width, bitmap.Height);
        var matrix = origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
            SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
            _ => SKMatrix.Identity,
        };
        canvas.SetMatrix(matrix);
        using var image = SKImage.FromBitmap(bitmap);
        canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest));
        return result;
    }
}
