using FaceSwap.Processor.Engines;
using SkiaSharp;

namespace FaceSwap.Processor.Queue;

/// <summary>
/// The target photo with each found face boxed and numbered, so the user can say which to replace.
/// Digits are drawn as seven-segment strokes: the container's Skia build has no fonts to render text with.
/// </summary>
public static class FacePreview
{
    // Segments a-g as (x1, y1, x2, y2) in a 1x2 cell; bit i of a digit's mask lights segment i.
    private static readonly (float X1, float Y1, float X2, float Y2)[] Segments =
        [(0, 0, 1, 0), (1, 0, 1, 1), (1, 1, 1, 2), (0, 2, 1, 2), (0, 1, 0, 2), (0, 0, 0, 1), (0, 1, 1, 1)];

    private static readonly int[] DigitMasks = [0x3F, 0x06, 0x5B, 0x4F, 0x66, 0x6D, 0x7D, 0x07, 0x7F, 0x6F];

    public static byte[] Draw(ReadOnlyMemory<byte> image, IReadOnlyList<DetectedFace> faces)
    {
        using var original = SKBitmap.Decode(image.ToArray()) ?? throw new ArgumentException("Not an image.", nameof(image));
        // The preview only has to show which face is which: at most 1280 px keeps it small to send.
        var scale = Math.Min(1f, 1280f / Math.Max(original.Width, original.Height));
        var info = new SKImageInfo(Math.Max(1, (int)(original.Width * scale)), Math.Max(1, (int)(original.Height * scale)));
        using var bitmap = original.Resize(info, new SKSamplingOptions(SKFilterMode.Linear)) ?? original.Copy();
        using var canvas = new SKCanvas(bitmap);
        var stroke = Math.Max(3f, bitmap.Width / 200f);
        using var box = new SKPaint { Color = SKColors.Yellow, Style = SKPaintStyle.Stroke, StrokeWidth = stroke, IsAntialias = true };
        using var label = new SKPaint { Color = SKColors.Black.WithAlpha(180), Style = SKPaintStyle.Fill };
        using var digit = new SKPaint { Color = SKColors.Yellow, Style = SKPaintStyle.Stroke, StrokeWidth = stroke, StrokeCap = SKStrokeCap.Round, IsAntialias = true };

        for (var i = 0; i < faces.Count; i++)
        {
            var b = faces[i].Box;
            var rect = new SKRect(b.X * scale, b.Y * scale, (b.X + b.Width) * scale, (b.Y + b.Height) * scale);
            canvas.DrawRect(rect, box);
            var size = Math.Max(12f, rect.Width / 5f);
            var text = (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var labelRect = new SKRect(rect.Left, rect.Top - size * 2.6f, rect.Left + size * (1.6f * text.Length + 0.6f), rect.Top);
            canvas.DrawRect(labelRect, label);
            for (var c = 0; c < text.Length; c++)
            {
                DrawDigit(canvas, text[c] - '0', labelRect.Left + size * (0.5f + 1.6f * c), labelRect.Top + size * 0.3f, size, digit);
            }
        }

        using var encoded = SKImage.FromBitmap(bitmap).Encode(SKEncodedImageFormat.Jpeg, 85);
        return encoded.ToArray();
    }

    private static void DrawDigit(SKCanvas canvas, int value, float left, float top, float size, SKPaint paint)
    {
        for (var s = 0; s < Segments.Length; s++)
        {
            if ((DigitMasks[value] & (1 << s)) != 0)
            {
                var (x1, y1, x2, y2) = Segments[s];
                canvas.DrawLine(left + x1 * size, top + y1 * size, left + x2 * size, top + y2 * size, paint);
            }
        }
    }
}
