using SkiaSharp;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>Images over a bitmap's own pixels, for drawing from it.</summary>
internal static class BitmapImage
{
    /// <summary>
    /// The bitmap's pixels as an image without a copy (SKImage.FromBitmap copies a mutable bitmap: 16 MB at 4 MP, 160 MB at
    /// 40 MP). The bitmap must not change while the image is in use.
    /// </summary>
    public static SKImage Wrap(SKBitmap image)
    {
        using var pixels = image.PeekPixels() ?? throw new ArgumentException("the bitmap has no pixels", nameof(image));
        return SKImage.FromPixels(pixels) ?? throw new ArgumentException("the bitmap's pixels cannot be read", nameof(image));
    }
}
