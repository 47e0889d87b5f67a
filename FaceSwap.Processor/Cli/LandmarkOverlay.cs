using FaceSwap.Processor.Engines;
using FaceSwap.Processor.Engines.Local;
using SkiaSharp;

namespace FaceSwap.Processor.Cli;

/// <summary>Draws boxes, mesh points (yellow) and the 68 landmarks (red) over the photo, so an operator can see what the detector saw.</summary>
internal static class LandmarkOverlay
{
    public static byte[] Draw(ReadOnlySpan<byte> encoded, IReadOnlyList<DetectedFace> faces)
    {
        using var bitmap = ImageDecoder.Decode(encoded, ImageLimits.Default);
        using (var canvas = new SKCanvas(bitmap))
        using (var boxPaint = new SKPaint { Color = SKColors.Lime, Style = SKPaintStyle.Stroke, StrokeWidth = 2, IsAntialias = true })
        using (var pointPaint = new SKPaint { Color = SKColors.Red, Style = SKPaintStyle.Fill, IsAntialias = true })
        using (var meshPaint = new SKPaint { Color = SKColors.Yellow, Style = SKPaintStyle.Fill, IsAntialias = true })
        {
            var radius = Math.Max(1.5f, Math.Max(bitmap.Width, bitmap.Height) / 400f);
            foreach (var face in faces)
            {
                canvas.DrawRect(face.Box.X, face.Box.Y, face.Box.Width, face.Box.Height, boxPaint);
                foreach (var point in face.Mesh ?? [])
                {
                    canvas.DrawCircle(point.X, point.Y, radius * 0.5f, meshPaint);
                }

                foreach (var point in face.Landmarks)
                {
                    canvas.DrawCircle(point.X, point.Y, radius, pointPaint);
                }
            }
        }

        return ImageEncoder.Encode(bitmap, FaceSwap.Contracts.ImageFormat.Png, 100).Bytes;
    }
}
