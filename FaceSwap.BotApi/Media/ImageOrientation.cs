using System.Runtime.InteropServices;
using SkiaSharp;

namespace FaceSwap.BotApi.Media;

/// <summary>Turns stored pixels upright by their EXIF orientation, so that a re-encoded photo, which has no EXIF, shows as the upload did.</summary>
public static class ImageOrientation
{
    /// <summary>
    /// A new bitmap holding the pixels as displayed, or null when <paramref name="stored"/> already is upright. Pixels are
    /// moved, not resampled, so nothing is blurred; 4-byte pixels only.
    /// </summary>
    public static SKBitmap? TurnUpright(SKBitmap stored, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft)
        {
            return null;
        }

        int width = stored.Width, height = stored.Height;
        var turnsSides = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var upright = new SKBitmap(stored.Info.WithSize(turnsSides ? height : width, turnsSides ? width : height));
        var source = MemoryMarshal.Cast<byte, uint>(stored.GetPixelSpan());
        var target = MemoryMarshal.Cast<byte, uint>(upright.GetPixelSpan());
        var uprightWidth = upright.Width;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                // Where stored pixel (x, y) is displayed, for EXIF orientations 2-8.
                var (ux, uy) = origin switch
                {
                    SKEncodedOrigin.TopRight => (width - 1 - x, y),
                    SKEncodedOrigin.BottomRight => (width - 1 - x, height - 1 - y),
                    SKEncodedOrigin.BottomLeft => (x, height - 1 - y),
                    SKEncodedOrigin.LeftTop => (y, x),
                    SKEncodedOrigin.RightTop => (height - 1 - y, x),
                    SKEncodedOrigin.RightBottom => (height - 1 - y, width - 1 - x),
                    SKEncodedOrigin.LeftBottom => (y, width - 1 - x),
                    _ => (x, y),
                };
                target[uy * uprightWidth + ux] = source[y * width + x];
            }
        }

        return upright;
    }
}
