using System.Diagnostics;
using System.Globalization;
using System.Text;
using FaceSwap.Contracts;
using FaceSwap.Processor.Engines;
using FaceSwap.Processor.Engines.Local;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace FaceSwap.Benchmarks.Quality;

/// <summary>
/// The engine quality benchmark (bench: <c>FaceSwap.Benchmarks --quality OUT_DIR</c>): every pair of
/// <see cref="QualityPairs"/> through the references (the untouched target, a naive 5-point paste) and the engine's
/// pipelines, measured the same way in the same run; writes a markdown report and one contact sheet per engine version.
/// </summary>
public static class QualityRun
{
    private const string Untouched = "untouched target", Paste = "5-point paste", Classic = "classic (old engine)", Mesh = "mesh (engine v2)";

    public static int Run(string outputDirectory, string? photoDirectory, IReadOnlyList<IdentityModel> models)
    {
        Directory.CreateDirectory(outputDirectory);
        var photos = photoDirectory ?? TestPhotoDirectory();
        using var mesh = NewEngine(LocalEngineOptions.MeshPipeline);
        mesh.EnsureModelsLoaded();
        var classicAvailable = File.Exists(LocalEngineOptions.DebianLandmarkModelPath);
        using var classic = classicAvailable ? NewEngine(LocalEngineOptions.ClassicPipeline) : null;
        classic?.EnsureModelsLoaded();
        var regions = mesh.Regions;
        var engines = new List<string> { Untouched, Paste };
        if (classic is not null)
        {
            engines.Add(Classic);
        }

        engines.Add(Mesh);
        var rows = new List<Row>();
        var sheets = engines.Where(e => e != Untouched).ToDictionary(e => e, _ => new List<(SKBitmap Face, SKBitmap Target, SKBitmap? Result, string Caption)>());
        foreach (var pair in QualityPairs.All)
        {
            var faceBytes = pair.Face.Encode(photos);
            var targetBytes = pair.Target.Encode(photos);
            using var faceBitmap = ImageDecoder.Decode(faceBytes, ImageLimits.Default);
            using var targetBitmap = ImageDecoder.Decode(targetBytes, ImageLimits.Default);
            var sourceFace = mesh.AnalyzeMesh(faceBitmap, everyFace: false, out _).Select(f => f.Face).OrderByDescending(f => f.Area).FirstOrDefault();
            var targetFace = mesh.AnalyzeMesh(targetBitmap, everyFace: false, out _).Select(f => f.Face).OrderByDescending(f => f.Area).FirstOrDefault();
            if (sourceFace is null || targetFace is null)
            {
                Console.Error.WriteLine($"{pair.Name}: no face found in {(sourceFace is null ? "the face photo" : "the target")}; pair skipped");
                continue;
            }

            var sourceEmbeddings = models.Select(m => m.Embed(faceBitmap, sourceFace)).ToArray();
            var targetEmbeddings = models.Select(m => m.Embed(targetBitmap, targetFace)).ToArray();
            var pose = $"{sourceFace.Pose.Yaw:0}/{targetFace.Pose.Yaw:0}";
            foreach (var engine in engines)
            {
                var stopwatch = Stopwatch.StartNew();
                SKBitmap? result = null;
                string? refusal = null;
                try
                {
                    result = engine switch
                    {
                        Untouched => targetBitmap.Copy(),
                        Paste => NaivePaste.Paste(faceBitmap, sourceFace, targetBitmap, targetFace, regions),
                        _ => Decode((engine == Classic ? classic! : mesh).Swap(
                            new SwapRequest(new EngineImage(faceBytes), new EngineImage(targetBytes), new SwapOptions(TargetFaceSelection.Largest, ImageFormat.Png)),
                            CancellationToken.None).Image),
                    };
                }
                catch (FaceSwapException exception)
                {
                    refusal = $"{exception.Reason}: {exception.Message}";
                }

                var elapsed = stopwatch.Elapsed.TotalMilliseconds;
                SwapMeasure? measure = null;
                if (result is not null)
                {
                    var found = mesh.Analyzer.FindAgain(result, targetFace.DetectorBox, 0.5f);
                    measure = SwapMeasures.Measure(result, targetBitmap, targetFace, sourceEmbeddings, targetEmbeddings, models, found, regions);
                }

                rows.Add(new Row(pair, engine, measure, refusal, elapsed, pose));
                if (pair.Publishable && sheets.TryGetValue(engine, out var sheet))
                {
                    sheet.Add((Crop(faceBitmap, sourceFace), Crop(targetBitmap, targetFace), result is null ? null : Crop(result, targetFace), refusal is null ? pair.Case : $"refused: {refusal.Split(':')[0]}"));
                }

                result?.Dispose();
            }
        }

        var report = Report(rows, engines, models);
        File.WriteAllText(Path.Combine(outputDirectory, "quality.md"), report);
        Console.WriteLine(report);
        foreach (var (engine, sheet) in sheets)
        {
            var file = Path.Combine(outputDirectory, $"contact-sheet-{Slug(engine)}.jpg");
            ContactSheet.Write(file, engine, sheet);
            foreach (var (face, target, result, _) in sheet)
            {
                face.Dispose();
                target.Dispose();
                result?.Dispose();
            }
        }

        return 0;
    }

    /// <summary>The committed test photos, read from the repository the benchmark is run in.</summary>
    private static string TestPhotoDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FaceSwap.sln")))
            {
                return Path.Combine(directory.FullName, "FaceSwap.Tests", "TestData", "engine");
            }
        }

        throw new DirectoryNotFoundException("run the quality benchmark from inside the repository: it reads FaceSwap.Tests/TestData/engine");
    }

    private static LocalFaceSwapEngine NewEngine(string pipeline) =>
        new(Options.Create(new LocalEngineOptions { Pipeline = pipeline }), NullLogger<LocalFaceSwapEngine>.Instance);

    /// <summary>The face and some of what surrounds it (hair, neck), so the sheet shows the edge of the swap.</summary>
    private static SKBitmap Crop(SKBitmap image, MeshFace face)
    {
        var box = face.DetectorBox;
        var side = MathF.Max(box.Width, box.Height) * 2f;
        var crop = SKRectI.Intersect(SKRectI.Round(SKRect.Create(box.MidX - side / 2, box.MidY - side / 2, side, side)), SKRectI.Create(0, 0, image.Width, image.Height));
        using var subset = new SKBitmap();
        image.ExtractSubset(subset, crop);
        return subset.Copy();
    }

    private static SKBitmap Decode(byte[] encoded) => ImageDecoder.Decode(encoded, ImageLimits.Default);

    private static string Slug(string engine) => engine.Split(' ')[0];

    private sealed record Row(QualityPair Pair, string Engine, SwapMeasure? Measure, string? Refusal, double Milliseconds, string Pose);

    /// <summary>How far the result's identity moved from the untouched target towards the paste (1 = as far as the paste), averaged over the models.</summary>
    private static float SourceShare(Row row, Row untouched, Row paste) => Average(row.Measure!.ToSource.Select((c, m) =>
        (c - untouched.Measure!.ToSource[m]) / MathF.Max(1e-3f, paste.Measure!.ToSource[m] - untouched.Measure.ToSource[m])));

    /// <summary>How much of the target's identity is left, from the paste (0) to the untouched target (1), averaged over the models.</summary>
    private static float TargetShare(Row row, Row paste) => Average(row.Measure!.ToTarget.Select((c, m) =>
        (c - paste.Measure!.ToTarget[m]) / MathF.Max(1e-3f, 1f - paste.Measure.ToTarget[m])));

    private static float Average(IEnumerable<float> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? float.NaN : list.Average();
    }

    /// <summary>Broken: the face moved (not found again, or its mesh off by more than 0.15 eye distances), or it is less like the source than the untouched target.</summary>
    private static bool IsBroken(Row row, Row untouched) =>
        row.Measure is { } m && (!m.FaceFound || m.MeshError > 0.15f || (m.ToSource.Length > 0 && m.ToSource.Average() < untouched.Measure!.ToSource.Average()));

    private static string Report(List<Row> rows, List<string> engines, IReadOnlyList<IdentityModel> models)
    {
        var text = new StringBuilder();
        string F(float v, string format = "0.00") => float.IsNaN(v) ? "-" : v.ToString(format, CultureInfo.InvariantCulture);
        var pairs = rows.Select(r => r.Pair).Distinct().ToList();
        text.AppendLine(CultureInfo.InvariantCulture, $"Identity models: {(models.Count == 0 ? "none" : string.Join(", ", models.Select(m => m.Name)))}. Pairs: {pairs.Count}.");
        text.AppendLine();
        text.AppendLine("| pair | case | yaw src/tgt | engine | to source | to target | source share | target share | pose err ° | mesh err | seam | outside | ms | verdict |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        var summary = engines.ToDictionary(e => e, _ => new List<(float Source, float Target, float Pose, float MeshError, float Seam, float Outside, bool Broken, bool Refused)>());
        foreach (var pair in pairs)
        {
            var untouched = rows.Single(r => r.Pair == pair && r.Engine == Untouched);
            var paste = rows.Single(r => r.Pair == pair && r.Engine == Paste);
            foreach (var row in rows.Where(r => r.Pair == pair))
            {
                if (row.Measure is not { } m)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"| {pair.Name} | {pair.Case} | {row.Pose} | {row.Engine} | | | | | | | | | {row.Milliseconds:0} | refused ({row.Refusal}) |");
                    summary[row.Engine].Add((float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, false, true));
                    continue;
                }

                var share = models.Count > 0 ? SourceShare(row, untouched, paste) : float.NaN;
                var leak = models.Count > 0 ? TargetShare(row, paste) : float.NaN;
                var broken = row.Engine is not Untouched && IsBroken(row, untouched);
                summary[row.Engine].Add((share, leak, m.PoseError, m.MeshError, m.Seam, m.OutsideChange, broken, false));
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {pair.Name} | {pair.Case} | {row.Pose} | {row.Engine} | {string.Join(" / ", m.ToSource.Select(c => F(c)))} | {string.Join(" / ", m.ToTarget.Select(c => F(c)))} | {F(share)} | {F(leak)} | {F(m.PoseError, "0.0")} | {F(m.MeshError, "0.000")} | {F(m.Seam)} | {F(m.OutsideChange)} | {row.Milliseconds:0} | {(broken ? "**broken**" : "ok")} |");
            }
        }

        text.AppendLine();
        text.AppendLine("| engine | broken | refused | median source share | median target share | median pose err ° | median mesh err | median seam | median outside change |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var (engine, values) in summary)
        {
            var done = values.Where(v => !v.Refused).ToList();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {engine} | {done.Count(v => v.Broken)} of {values.Count} | {values.Count(v => v.Refused)} of {values.Count} | {F(Median(done.Select(v => v.Source)))} | {F(Median(done.Select(v => v.Target)))} | {F(Median(done.Select(v => v.Pose)), "0.0")} | {F(Median(done.Select(v => v.MeshError)), "0.000")} | {F(Median(done.Select(v => v.Seam)))} | {F(Median(done.Select(v => v.Outside)))} |");
        }

        return text.ToString();
    }

    private static float Median(IEnumerable<float> values)
    {
        var sorted = values.Where(v => !float.IsNaN(v)).OrderBy(v => v).ToArray();
        return sorted.Length == 0 ? float.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
