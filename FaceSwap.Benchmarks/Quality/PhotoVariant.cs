using SkiaSharp;

namespace FaceSwap.Benchmarks.Quality;

/// <summary>A test photo, optionally turned, mirrored or scaled, encoded as PNG on demand.</summary>
public sealed record PhotoVariant(string File, float RotateDegrees = 0, bool Mirror = false, float Scale = 1)
{
    public string Label => Path.GetFileNameWithoutExtension(File)
        + (RotateDegrees != 0 ? $" rot{RotateDegrees:+0;-0}" : "") + (Mirror ? " flip" : "") + (Scale != 1 ? $" x{Scale:0.##}" : "");

    public byte[] Encode(string directory)
    {
        var original = System.IO.File.ReadAllBytes(Path.Combine(directory, File));
        if (RotateDegrees == 0 && !Mirror && Scale == 1)
        {
            return original;
        }

        using var image = SKImage.FromEncodedData(original);
        var radians = RotateDegrees * MathF.PI / 180f;
        var width = Scale * (image.Width * MathF.Abs(MathF.Cos(radians)) + image.Height * MathF.Abs(MathF.Sin(radians)));
        var height = Scale * (image.Width * MathF.Abs(MathF.Sin(radians)) + image.Height * MathF.Abs(MathF.Cos(radians)));
        using var bitmap = new SKBitmap(new SKImageInfo((int)MathF.Ceiling(width), (int)MathF.Ceiling(height), SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            // Grey, not black or white, where the turned photo leaves its corners empty: neither looks like skin or hair.
            canvas.Clear(new SKColor(128, 128, 128));
            canvas.Translate(bitmap.Width / 2f, bitmap.Height / 2f);
            canvas.Scale(Scale * (Mirror ? -1 : 1), Scale);
            canvas.RotateDegrees(RotateDegrees);
            canvas.DrawImage(image, -image.Width / 2f, -image.Height / 2f, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
