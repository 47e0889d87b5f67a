using FaceSwap.Processor.Engines.Local;
using SkiaSharp;

namespace FaceSwap.Benchmarks;

internal static class BenchmarkImages
{
    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", name));

    public static byte[] FacePhoto => Read("astronaut.png");

    /// <summary>Grace Hopper's portrait resampled to about the given number of megapixels, as a JPEG (q90) like a phone upload.</summary>
    public static byte[] TargetOf(double megapixels)
    {
        using var source = SKImage.FromEncodedData(Read("grace_hopper.jpg"));
        var scale = Math.Sqrt(megapixels * 1_000_000 / (source.Width * (double)source.Height));
        var width = (int)Math.Round(source.Width * scale);
        var height = (int)Math.Round(source.Height * scale);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.DrawImage(source, SKRect.Create(0, 0, width, height), new SKSamplingOptions(SKCubicResampler.Mitchell));
        }

        return ImageEncoder.Encode(bitmap, FaceSwap.Contracts.ImageFormat.Jpeg, 90).Bytes;
    }
}
