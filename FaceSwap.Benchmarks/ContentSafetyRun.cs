using System.Diagnostics;
using System.Security.Cryptography;
using FaceSwap.ContentSafety;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace FaceSwap.Benchmarks;

/// <summary>
/// The content-safety gate's false refusals and cost (docs/benchmarks.md, Content safety): every image in the given
/// folders (the same file in two folders counts once) in 14 variants (flips, crops, rescales, a turn, grey, Telegram's
/// JPEG), judged at the default thresholds as the bot API judges an upload; the classifier's time per image, and the
/// resident memory the gate adds to a process.
/// </summary>
public static class ContentSafetyRun
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".gif", ".webp"];

    public static int Run(IReadOnlyList<string> folders)
    {
        var photos = folders.SelectMany(f => Directory.EnumerateFiles(f, "*", SearchOption.AllDirectories))
            .Where(p => Extensions.Contains(Path.GetExtension(p).ToLowerInvariant()))
            .Where(p => !p.Contains("safety", StringComparison.OrdinalIgnoreCase)) // the classifier-positive fixture is no ordinary photo
            .GroupBy(p => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p))))
            .Select(g => g.OrderBy(p => p, StringComparer.Ordinal).First())
            .OrderBy(p => Path.GetFileName(p), StringComparer.Ordinal)
            .ToList();

        var rssBefore = Rss();
        var load = Stopwatch.StartNew();
        using var gate = new ContentSafetyGate(Options.Create(new ContentSafetyOptions()), NullLogger<ContentSafetyGate>.Instance);
        using (var probe = new SKBitmap(8, 8))
        {
            gate.Screen(probe); // loads the model
        }

        var loadMs = load.Elapsed.TotalMilliseconds;
        var rssLoaded = Rss();
        var times = new List<double>();
        var scores = new List<(string Photo, string Variant, SafetyVerdict Verdict)>();
        foreach (var path in photos)
        {
            using var photo = SKBitmap.Decode(path) ?? throw new InvalidDataException($"{path} does not decode");
            foreach (var (variant, image) in Variants(photo))
            {
                using (image)
                {
                    var timer = Stopwatch.StartNew();
                    var verdict = gate.Screen(image);
                    times.Add(timer.Elapsed.TotalMilliseconds);
                    scores.Add((Path.GetFileName(path), variant, verdict));
                }
            }
        }

        GC.Collect();
        var rssAfter = Rss();
        Console.WriteLine($"{photos.Count} photos x {scores.Count / Math.Max(1, photos.Count)} variants = {scores.Count} images: {string.Join(", ", photos.Select(Path.GetFileName))}");
        Console.WriteLine("| photo | Porn + Hentai as is | highest over the variants |");
        Console.WriteLine("|---|---|---|");
        foreach (var group in scores.GroupBy(s => s.Photo))
        {
            var asIs = group.First(s => s.Variant == "as is").Verdict.Scores!.Value.Explicit;
            var worst = group.MaxBy(s => s.Verdict.Scores!.Value.Explicit);
            Console.WriteLine($"| {group.Key} | {asIs:0.000} | {worst.Verdict.Scores!.Value.Explicit:0.000} ({worst.Variant}) |");
        }

        var refused = scores.Where(s => !s.Verdict.IsSafe).ToList();
        Console.WriteLine($"refused at the default thresholds (Porn, Hentai, Porn + Hentai >= 0.95): {refused.Count} of {scores.Count}" +
            (refused.Count == 0 ? "" : ": " + string.Join("; ", refused.Select(r => $"{r.Photo} {r.Variant} {r.Verdict}"))));
        var explicitScores = scores.Select(s => (double)s.Verdict.Scores!.Value.Explicit).Order().ToList();
        foreach (var threshold in new[] { 0.5, 0.7, 0.8, 0.9, 0.95 })
        {
            Console.WriteLine($"  Porn + Hentai >= {threshold}: {explicitScores.Count(s => s >= threshold)}");
        }

        Console.WriteLine($"median Porn + Hentai {Percentile(explicitScores, 0.5):0.000}, highest {explicitScores[^1]:0.000}");
        var sorted = times.Order().ToList();
        Console.WriteLine($"classifier per image (decoded bitmap in, verdict out; one thread): median {Percentile(sorted, 0.5):0.0} ms, p95 {Percentile(sorted, 0.95):0.0} ms, max {sorted[^1]:0.0} ms; model load {loadMs:0} ms");
        Console.WriteLine($"RSS: {rssBefore / 1024 / 1024} MB before the gate, {rssLoaded / 1024 / 1024} MB with the model loaded (+{(rssLoaded - rssBefore) / 1024 / 1024} MB), {rssAfter / 1024 / 1024} MB after all images");
        return 0;
    }

    private static IEnumerable<(string Name, SKBitmap Image)> Variants(SKBitmap photo)
    {
        int w = photo.Width, h = photo.Height;
        yield return ("as is", photo.Copy());
        yield return ("mirrored", Draw(w, h, c => { c.Scale(-1, 1, w / 2f, 0); Paint(c, photo); }));
        yield return ("upside down", Draw(w, h, c => { c.Scale(1, -1, 0, h / 2f); Paint(c, photo); }));
        yield return ("turned 90", Draw(h, w, c => { c.Translate(h, 0); c.RotateDegrees(90); Paint(c, photo); }));
        yield return ("centre half", Crop(photo, w / 4, h / 4, w / 2, h / 2));
        yield return ("top-left quarter", Crop(photo, 0, 0, w / 2, h / 2));
        yield return ("top-right quarter", Crop(photo, w / 2, 0, w - w / 2, h / 2));
        yield return ("bottom-left quarter", Crop(photo, 0, h / 2, w / 2, h - h / 2));
        yield return ("bottom-right quarter", Crop(photo, w / 2, h / 2, w - w / 2, h - h / 2));
        yield return ("quarter size", Scaled(photo, 0.25f));
        yield return ("triple size", Scaled(photo, 3f));
        yield return ("grey", Draw(w, h, c =>
        {
            using var paint = new SKPaint { ColorFilter = SKColorFilter.CreateColorMatrix([0.299f, 0.587f, 0.114f, 0, 0, 0.299f, 0.587f, 0.114f, 0, 0, 0.299f, 0.587f, 0.114f, 0, 0, 0, 0, 0, 1, 0]) };
            Paint(c, photo, paint);
        }));
        // What Telegram (and the emulator) make of a photo: at most 1280 px a side, JPEG at quality 87.
        var telegram = Math.Min(1f, 1280f / Math.Max(w, h));
        using var small = Scaled(photo, telegram);
        using var jpeg = small.Encode(SKEncodedImageFormat.Jpeg, 87);
        yield return ("Telegram JPEG", SKBitmap.Decode(jpeg));
        yield return ("tight centre sixth", Crop(photo, w * 5 / 12, h * 5 / 12, Math.Max(1, w / 6), Math.Max(1, h / 6)));
    }

    private static void Paint(SKCanvas canvas, SKBitmap photo, SKPaint? paint = null)
    {
        using var image = SKImage.FromBitmap(photo);
        canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear), paint);
    }

    private static SKBitmap Draw(int width, int height, Action<SKCanvas> draw)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        draw(canvas);
        return bitmap;
    }

    private static SKBitmap Crop(SKBitmap photo, int x, int y, int width, int height)
    {
        var crop = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        photo.ExtractSubset(crop, SKRectI.Create(x, y, width, height));
        return crop.Copy();
    }

    private static SKBitmap Scaled(SKBitmap photo, float factor)
    {
        var info = new SKImageInfo(Math.Max(1, (int)(photo.Width * factor)), Math.Max(1, (int)(photo.Height * factor)), SKColorType.Rgba8888, SKAlphaType.Premul);
        return photo.Resize(info, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
    }

    private static double Percentile(IReadOnlyList<double> sorted, double p) => sorted[(int)Math.Round(p * (sorted.Count - 1))];

    private static long Rss()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }
}
