using FaceSwap.Contracts;
using SkiaSharp;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>
/// Decodes untrusted uploads safely: the header is read first (SKCodec reads only a few bytes), so an image that
/// claims 50000x50000 is refused before any allocation; EXIF orientation is applied; metadata is dropped
/// because only pixels leave this class.
/// </summary>
public static class ImageDecoder
{
    /// <summary>Decodes to premultiplied RGBA, upright, first frame of an animation.</summary>
    public static SKBitmap Decode(ReadOnlySpan<byte> encoded, ImageLimits limits)
    {
        if (encoded.IsEmpty)
        {
            throw new FaceSwapException(SwapFailureReason.NotAnImage, "not an image: the file is empty");
        }

        if (encoded.Length > limits.MaxBytes)
        {
            throw new FaceSwapException(SwapFailureReason.ImageTooLarge,
                $"image too large: {encoded.Length / (1024 * 1024)} MB, at most {limits.MaxBytes / (1024 * 1024)} MB");
        }

        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(new SKMemoryStream(data), out var result);
        if (codec is null)
        {
            throw new FaceSwapException(SwapFailureReason.NotAnImage, $"not an image (or an unsupported format): {result}");
        }

        var header = codec.Info;
        if (header.Width <= 0 || header.Height <= 0)
        {
            throw new FaceSwapException(SwapFailureReason.NotAnImage, "not an image: no width or height in its header");
        }

        if (header.Width > limits.MaxSide || header.Height > limits.MaxSide || (long)header.Width * header.Height > limits.MaxPixels)
        {
            throw new FaceSwapException(SwapFailureReason.ImageTooLarge,
                $"image too large: {header.Width}x{header.Height}, at most {limits.MaxPixels / 1_000_000} megapixels and {limits.MaxSide} px a side");
        }

        // A null colour space keeps the encoded values as they are (no conversion cost) and makes Skia write no ICC profile.
        var info = new SKImageInfo(header.Width, header.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var decoded = new SKBitmap(info);
        try
        {
            // Frame 0 is the first frame of an animated GIF/WebP; the rest are ignored on purpose.
            var status = codec.GetPixels(info, decoded.GetPixels(), new SKCodecOptions(0));
            if (status == SKCodecResult.IncompleteInput || status == SKCodecResult.ErrorInInput)
            {
                throw new FaceSwapException(SwapFailureReason.NotAnImage, "not an image: the file is truncated or damaged");
            }

            if (status != SKCodecResult.Success)
            {
                throw new FaceSwapException(SwapFailureReason.UnsupportedImage, $"unsupported image: the decoder said {status}");
            }

            var upright = ApplyOrigin(decoded, codec.EncodedOrigin);
            if (!ReferenceEquals(upright, decoded))
            {
                decoded.Dispose();
            }

            return upright;
        }
        catch
        {
            decoded.Dispose();
            throw;
        }
    }

    /// <summary>Reads only the header: width and height as stored (before EXIF rotation).</summary>
    public static SKImageInfo ReadHeader(ReadOnlySpan<byte> encoded)
    {
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(new SKMemoryStream(data), out var result)
            ?? throw new FaceSwapException(SwapFailureReason.NotAnImage, $"not an image: {result}");
        return codec.Info;
    }

    /// <summary>Turns the stored pixels upright according to the EXIF orientation (SKBitmap.Decode would ignore it).</summary>
    internal static SKBitmap ApplyOrigin(SKBitmap stored, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft or SKEncodedOrigin.Default)
        {
            return stored;
        }

        var swapsSides = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        int w = stored.Width, h = stored.Height;
        var outWidth = swapsSides ? h : w;
        var outHeight = swapsSides ? w : h;
        var upright = new SKBitmap(new SKImageInfo(outWidth, outHeight, stored.ColorType, stored.AlphaType));
        using var canvas = new SKCanvas(upright);
        canvas.Clear(SKColors.Transparent);
        // Each matrix maps a stored pixel to where it belongs when displayed (EXIF 2-8).
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
        using var paint = new SKPaint { BlendMode = SKBlendMode.Src };
        using var storedImage = SKImage.FromBitmap(stored);
        canvas.DrawImage(storedImage, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest), paint);
        return upright;
    }
}
