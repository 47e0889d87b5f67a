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

        var downscaled = Downscale(bytes, options.Value.EnginePixels);
        return downscaled is null ? new(IntakeVerdict.NotAnImage) : new(IntakeVerdict.Accepted, downscaled, width, height);
    }

    /// <summary>
    /// Re-encodes at most <paramref name="maxPixels"/>. <c>SKImage.FromEncodedData</c> applies the EXIF orientation,
    /// which re-encoding would otherwise lose along with the rest of the metadata.
    /// </summary>
    private static byte[]? Downscale(byte[] bytes, long maxPixels)
    {
        using var image = SKImage.FromEncodedData(bytes);
        if (image is null)
        {
            return null;
        }

        var scale = Math.Sqrt((double)maxPixels / ((long)image.Width * image.Height));
        using var resized = new SKBitmap(new SKImageInfo(Math.Max(1, (int)(image.Width * scale)), Math.Max(1, (int)(image.Height * scale))));
        if (!image.ScalePixels(resized.PeekPixels(), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear)))
        {
            return null;
        }

        using var encoded = resized.Encode(SKEncodedImageFormat.Jpeg, 92);
        return encoded.ToArray();
    }
}
