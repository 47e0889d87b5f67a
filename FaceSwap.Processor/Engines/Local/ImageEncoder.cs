using FaceSwap.Contracts;
using SkiaSharp;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>Encodes pixels only: nothing of the input's metadata (EXIF, GPS, comments) can reach the output.</summary>
public static class ImageEncoder
{
    public static (byte[] Bytes, string ContentType) Encode(SKBitmap image, ImageFormat format, int quality)
    {
        quality = Math.Clamp(quality, 1, 100);
        var (skiaFormat, contentType) = format switch
        {
            ImageFormat.Png => (SKEncodedImageFormat.Png, "image/png"),
            ImageFormat.Webp => (SKEncodedImageFormat.Webp, "image/webp"),
            _ => (SKEncodedImageFormat.Jpeg, "image/jpeg"),
        };

        if (skiaFormat == SKEncodedImageFormat.Jpeg && !image.Info.IsOpaque && HasTransparency(image))
        {
            // JPEG has no alpha; flatten on white rather than letting transparent areas turn black.
            using var flattened = new SKBitmap(image.Info.WithAlphaType(SKAlphaType.Opaque));
            using (var canvas = new SKCanvas(flattened))
            using (var source = SKImage.FromBitmap(image))
            {
                canvas.Clear(SKColors.White);
                canvas.DrawImage(source, 0, 0, SKSamplingOptions.Default, null);
            }

            return (EncodeRaw(flattened, skiaFormat, quality), contentType);
        }

        return (EncodeRaw(image, skiaFormat, quality), contentType);
    }

    private static byte[] EncodeRaw(SKBitmap image, SKEncodedImageFormat format, int quality)
    {
        using var data = image.Encode(format, quality)
            ?? throw new FaceSwapException(SwapFailureReason.EngineError, $"could not encode the result as {format}");
        return data.ToArray();
    }

    private static bool HasTransparency(SKBitmap image)
    {
        var pixels = image.GetPixelSpan();
        for (var i = 3; i < pixels.Length; i += 4)
        {
            if (pixels[i] != 255)
            {
                return true;
            }
        }

        return false;
    }
}
