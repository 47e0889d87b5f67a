using FaceSwap.ContentSafety;
using SkiaSharp;

namespace FaceSwap.Tests.Safety;

/// <summary>
/// Makes the content-safety test fixture: a picture of coloured blurs that the classifier scores as explicit although
/// it shows nothing at all, so the gate's refusals can be tested without an explicit photo in the repository.
/// </summary>
/// <remarks>
/// A seeded hill climb on a coarse grid of colours, drawn smoothly (bilinear) at <see cref="Side"/> pixels: each step
/// repaints one cell and keeps the change when the classifier's Porn + Hentai does not drop. The score climbed is the
/// lower of the picture as drawn and after the JPEG re-encoding Telegram (and the emulator) gives photos, so the
/// fixture is refused on either path, as a document or as a photo. Deterministic for a seed: ONNX Runtime runs the
/// model on one thread here, and Skia's encoders are deterministic; another CPU could round differently, which is why
/// the committed PNG, not a rerun, is what the tests read. Regenerate with
/// <c>FACESWAP_WRITE_SAFETY_FIXTURE=1 dotnet test FaceSwap.Tests --filter "FullyQualifiedName~SafetyFixture"</c>.
/// </remarks>
internal static class SafetyFixtureGenerator
{
    public const int Seed = 14;
    public const int Side = 128;
    public const double Target = 0.97;
    private const int Cells = 16;
    private const int MaxSteps = 20_000;
    private const int TelegramJpegQuality = 87;

    /// <summary>The fixture as a PNG, and the score it reached (the lower of its two paths).</summary>
    public static (byte[] Png, double Score, int Steps) Generate(NsfwClassifier classifier, int seed = Seed)
    {
        var random = new Random(seed);
        var grid = new byte[Cells * Cells * 3];
        random.NextBytes(grid);
        var best = Score(classifier, grid);
        var steps = 0;
        while (best < Target && steps < MaxSteps)
        {
            steps++;
            var cell = random.Next(Cells * Cells) * 3;
            var before = (grid[cell], grid[cell + 1], grid[cell + 2]);
            for (var channel = 0; channel < 3; channel++)
            {
                grid[cell + channel] = (byte)Math.Clamp(grid[cell + channel] + (int)Math.Round(Gaussian(random) * 48), 0, 255);
            }

            var score = Score(classifier, grid);
            if (score >= best)
            {
                best = score;
            }
            else
            {
                (grid[cell], grid[cell + 1], grid[cell + 2]) = before;
            }
        }

        using var image = Draw(grid);
        return (Encode(image, SKEncodedImageFormat.Png, 100), best, steps);
    }

    private static double Score(NsfwClassifier classifier, byte[] grid)
    {
        using var image = Draw(grid);
        var drawn = classifier.Classify(image).Explicit;
        var asPhoto = classifier.Classify(Encode(image, SKEncodedImageFormat.Jpeg, TelegramJpegQuality)).Explicit;
        return Math.Min(drawn, asPhoto);
    }

    private static SKBitmap Draw(byte[] grid)
    {
        using var cells = new SKBitmap(new SKImageInfo(Cells, Cells, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (var y = 0; y < Cells; y++)
        {
            for (var x = 0; x < Cells; x++)
            {
                var i = (y * Cells + x) * 3;
                cells.SetPixel(x, y, new SKColor(grid[i], grid[i + 1], grid[i + 2]));
            }
        }

        var image = new SKBitmap(new SKImageInfo(Side, Side, SKColorType.Rgba8888, SKAlphaType.Opaque));
        cells.ScalePixels(image, new SKSamplingOptions(SKFilterMode.Linear));
        return image;
    }

    private static byte[] Encode(SKBitmap image, SKEncodedImageFormat format, int quality)
    {
        using var data = image.Encode(format, quality);
        return data.ToArray();
    }

    /// <summary>A standard normal draw (Box-Muller), from the seeded generator only.</summary>
    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
