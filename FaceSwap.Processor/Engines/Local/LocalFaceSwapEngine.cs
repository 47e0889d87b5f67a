using System.Diagnostics;
using System.Runtime.ExceptionServices;
using FaceSwap.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>
/// The offline engine: BlazeFace detection and MediaPipe's 468-point 3D mesh, a visibility-aware mesh warp, a composite
/// with colour, detail and a band blend matched to the target, and a quality gate that refuses what it cannot do well.
/// <c>FaceSwap:Local:Pipeline=classic</c> runs the earlier dlib-landmark engine instead (kept for comparison).
/// </summary>
public sealed class LocalFaceSwapEngine : IFaceSwapEngine, IFaceDetector, IDisposable
{
    public const string EngineName = "local";

    private readonly LocalEngineOptions options;
    private readonly ILogger<LocalFaceSwapEngine> logger;
    private readonly Lazy<LoadedModels> models;

    public LocalFaceSwapEngine(IOptions<LocalEngineOptions> options, ILogger<LocalFaceSwapEngine> logger)
    {
        this.options = options.Value;
        this.logger = logger;
        // ExecutionAndPublication: concurrent first requests load the models once, not once each.
        models = new Lazy<LoadedModels>(LoadModels, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Name => EngineName;

    /// <summary>Loads the models now (idempotent); throws a <see cref="FaceSwapException"/> with how to fix a missing model.</summary>
    public void EnsureModelsLoaded() => _ = Models;

    private LoadedModels Models
    {
        get
        {
            try
            {
                return models.Value;
            }
            catch (Exception exception) when (exception is not FaceSwapException)
            {
                throw new FaceSwapException(SwapFailureReason.EngineUnavailable, $"local engine models could not be loaded: {exception.Message}", exception);
            }
        }
    }

    private LoadedModels LoadModels()
    {
        var stopwatch = Stopwatch.StartNew();
        foreach (var (path, what) in new[] { (options.ResolvedDetectorModelPath, "BlazeFace detector"), (options.ResolvedMeshModelPath, "face mesh") })
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"the {what} model was not found at '{path}'; it ships in the processor's Models folder.", path);
            }
        }

        var detector = new BlazeFaceDetector(options.ResolvedDetectorModelPath);
        var landmarker = new FaceMeshLandmarker(options.ResolvedMeshModelPath);
        var regions = MeshTopology.Regions;
        ClassicModels? classic = null;
        if (options.UsesClassicPipeline)
        {
            var faceModels = FaceModels.Load(options.ResolvedDetectorModelPath, options.LandmarkModelPath);
            classic = new ClassicModels(faceModels, new FaceAnalyzer(faceModels), new FaceBlender(faceModels.Landmarks.MeanShape));
        }

        var loaded = new LoadedModels(detector, landmarker, new MeshFaceAnalyzer(detector, landmarker), regions,
            new MeshFaceSwapper(regions, new SwapQualityGate(options)), classic);
        logger.LogInformation("Local face-swap models loaded in {ElapsedMs} ms ({Pipeline} pipeline)", stopwatch.ElapsedMilliseconds, options.Pipeline);
        return loaded;
    }

    public Task<IReadOnlyList<DetectedFace>> DetectAsync(EngineImage image, CancellationToken cancellationToken) =>
        Task.Run(() => Detect(image.Bytes.Span), cancellationToken);

    public Task<SwapOutput> SwapAsync(SwapRequest request, CancellationToken cancellationToken) =>
        Task.Run(() => Swap(request, cancellationToken), cancellationToken);

    public Task<HealthCheckResult> CheckHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            EnsureModelsLoaded();
            return Task.FromResult(HealthCheckResult.Healthy($"local engine: detector and face mesh loaded ({options.Pipeline} pipeline)"));
        }
        catch (FaceSwapException exception)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(exception.Message, exception.InnerException));
        }
    }

    /// <summary>Faces left to right, each with box, score, the 68-point subset of its mesh and all 468 mesh points.</summary>
    public IReadOnlyList<DetectedFace> Detect(ReadOnlySpan<byte> encoded)
    {
        using var image = ImageDecoder.Decode(encoded, options.Limits);
        var regions = Models.Regions;
        return AnalyzeMesh(image, everyFace: true, out _).Select(f => ToDetectedFace(f.Face, regions)).ToList();
    }

    public SwapOutput Swap(SwapRequest request, CancellationToken cancellationToken)
    {
        var loaded = Models;
        return loaded.Classic is { } classic ? SwapClassic(classic, request, cancellationToken) : SwapMesh(loaded, request, cancellationToken);
    }

    private SwapOutput SwapMesh(LoadedModels loaded, SwapRequest request, CancellationToken cancellationToken)
    {
        var gate = new SwapQualityGate(options);
        // The two photos are decoded and their faces found side by side: each side is a fifth to a third of a swap, and they
        // share only the ONNX sessions, whose Run is thread-safe. The face photo's refusals still come first, as when the two
        // were done in turn.
        using var faceAnalysis = new PhotoAnalysis(this, request.Face.Bytes, everyFace: false);
        using var targetAnalysis = new PhotoAnalysis(this, request.Target.Bytes, everyFace: request.Options.Selection.Mode != TargetFaceMode.Largest);
        Parallel.Invoke(faceAnalysis.Run, targetAnalysis.Run);
        var faceBitmap = faceAnalysis.Decoded();
        var sourceFaces = faceAnalysis.Faces;
        if (sourceFaces.Count == 0)
        {
            throw faceAnalysis.TooSmall > 0
                ? new FaceSwapException(SwapFailureReason.FaceTooSmall, $"the face in the face photo is too small (under {options.MinFaceSize} px)")
                : new FaceSwapException(SwapFailureReason.NoFaceInFacePhoto, "no face found in the face photo");
        }

        // Only the largest face of the face photo is used.
        var (sourceFace, sourceDetection) = sourceFaces.MaxBy(f => f.Face.Area);
        gate.CheckFace(sourceFace, sourceDetection, "face");

        cancellationToken.ThrowIfCancellationRequested();
        var target = targetAnalysis.Decoded();
        var chosen = ChooseTargets(targetAnalysis.Faces, f => f.Face.Area, targetAnalysis.TooSmall, request.Options.Selection);

        var swapped = 0;
        FaceSwapException? firstRefusal = null;
        using (var source = BitmapImage.Wrap(faceBitmap))
        {
            foreach (var (face, detection) in chosen)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // The face's region is saved first: a face the gate refuses is put back as it was.
                var region = MeshFaceSwapper.RegionOf(face, target.Width, target.Height);
                using var saved = CopyOf(target, region);
                try
                {
                    gate.CheckFace(face, detection, "target");
                    loaded.Swapper.Swap(target, source, sourceFace, face);
                    gate.CheckResult(loaded.Analyzer.FindAgain(target, face.DetectorBox, options.MinDetectionScore * 0.8f), face, loaded.Regions);
                    swapped++;
                }
                catch (FaceSwapException refusal) when (chosen.Count > 1)
                {
                    // With every face asked for, one face the engine cannot do well is left as it was, not the whole photo refused.
                    logger.LogInformation("Face at {Box} left unswapped: {Reason}", face.DetectorBox, refusal.Message);
                    firstRefusal ??= refusal;
                    Restore(target, saved, region);
                }
            }
        }

        if (swapped == 0 && firstRefusal is not null)
        {
            throw firstRefusal;
        }

        var (bytes, contentType) = ImageEncoder.Encode(target, request.Options.Format, request.Options.Quality);
        return new SwapOutput(bytes, contentType, swapped);
    }

    private SwapOutput SwapClassic(ClassicModels classic, SwapRequest request, CancellationToken cancellationToken)
    {
        using var faceBitmap = ImageDecoder.Decode(request.Face.Bytes.Span, options.Limits);
        var sourceFaces = AnalyzeClassic(classic, faceBitmap, everyFace: false, out var tooSmall);
        if (sourceFaces.Count == 0)
        {
            throw tooSmall > 0
                ? new FaceSwapException(SwapFailureReason.FaceTooSmall, $"the face in the face photo is too small (under {options.MinFaceSize} px)")
                : new FaceSwapException(SwapFailureReason.NoFaceInFacePhoto, "no face found in the face photo");
        }

        var sourceFace = sourceFaces.MaxBy(f => f.Area)!;
        cancellationToken.ThrowIfCancellationRequested();
        using var target = ImageDecoder.Decode(request.Target.Bytes.Span, options.Limits);
        var chosen = ChooseTargets(AnalyzeClassic(classic, target, request.Options.Selection.Mode != TargetFaceMode.Largest, out var targetTooSmall),
            f => f.Area, targetTooSmall, request.Options.Selection);
        using (var source = SKImage.FromBitmap(faceBitmap))
        {
            foreach (var face in chosen)
            {
                cancellationToken.ThrowIfCancellationRequested();
                classic.Blender.Blend(target, source, sourceFace.Landmarks, face.Landmarks);
            }
        }

        var (bytes, contentType) = ImageEncoder.Encode(target, request.Options.Format, request.Options.Quality);
        return new SwapOutput(bytes, contentType, chosen.Count);
    }

    /// <summary>The target faces the selection names; faces are numbered left to right, as <see cref="Detect"/> lists them.</summary>
    private List<TFace> ChooseTargets<TFace>(IReadOnlyList<TFace> faces, Func<TFace, float> area, int tooSmall, TargetFaceSelection selection)
    {
        if (faces.Count == 0)
        {
            throw tooSmall > 0
                ? new FaceSwapException(SwapFailureReason.FaceTooSmall, $"the face in the target photo is too small (under {options.MinFaceSize} px)")
                : new FaceSwapException(SwapFailureReason.NoFaceInTarget, "no face found in the target photo");
        }

        return selection.Mode switch
        {
            TargetFaceMode.All => [.. faces],
            TargetFaceMode.Index when selection.Index < 0 || selection.Index >= faces.Count =>
                throw new FaceSwapException(SwapFailureReason.FaceIndexOutOfRange,
                    $"face index {selection.Index} is out of range: the target photo has {faces.Count} face(s), numbered from 0 left to right"),
            TargetFaceMode.Index => [faces[selection.Index]],
            _ => [faces.MaxBy(area)!],
        };
    }

    private static SKBitmap CopyOf(SKBitmap image, SKRectI region)
    {
        using var subset = new SKBitmap();
        return image.ExtractSubset(subset, region) ? subset.Copy() : new SKBitmap();
    }

    private static void Restore(SKBitmap image, SKBitmap saved, SKRectI region)
    {
        using var canvas = new SKCanvas(image);
        using var pixels = SKImage.FromBitmap(saved);
        using var paint = new SKPaint { BlendMode = SKBlendMode.Src };
        canvas.DrawImage(pixels, region.Left, region.Top, SKSamplingOptions.Default, paint);
    }

    /// <summary>Faces sorted left to right, so an index means the same thing in detect and swap.</summary>
    internal IReadOnlyList<(MeshFace Face, DetectorFace Detection)> AnalyzeMesh(SKBitmap image, bool everyFace, out int tooSmall) =>
        Models.Analyzer.Analyze(image, options.MinDetectionScore, options.MinFaceSize, everyFace, out tooSmall);

    private IReadOnlyList<AnalyzedFace> AnalyzeClassic(ClassicModels classic, SKBitmap image, bool everyFace, out int tooSmall) =>
        classic.Analyzer.Analyze(image, options.MinDetectionScore, options.MinFaceSize, everyFace, out tooSmall)
            .OrderBy(f => f.DetectorBox.MidX)
            .ToList();

    internal MeshRegions Regions => Models.Regions;

    internal MeshFaceAnalyzer Analyzer => Models.Analyzer;

    internal BlazeFaceDetector Detector => Models.Detector;

    internal FaceMeshLandmarker Landmarker => Models.Landmarker;

    internal MeshFaceSwapper Swapper => Models.Swapper;

    private static DetectedFace ToDetectedFace(MeshFace face, MeshRegions regions) => new(
        new FaceBox(face.DetectorBox.Left, face.DetectorBox.Top, face.DetectorBox.Width, face.DetectorBox.Height),
        face.Score,
        regions.Landmarks68.Select(i => new LandmarkPoint(face.Points[i].X, face.Points[i].Y)).ToList(),
        face.Points.Select(p => new MeshPoint(p.X, p.Y, p.Z)).ToList());

    public void Dispose()
    {
        if (models.IsValueCreated)
        {
            models.Value.Dispose();
        }
    }

    /// <summary>One photo decoded and its faces found, or what went wrong on the way; run on either thread of a swap.</summary>
    private sealed class PhotoAnalysis(LocalFaceSwapEngine engine, ReadOnlyMemory<byte> encoded, bool everyFace) : IDisposable
    {
        private SKBitmap? bitmap;
        private ExceptionDispatchInfo? failure;

        public IReadOnlyList<(MeshFace Face, DetectorFace Detection)> Faces { get; private set; } = [];

        public int TooSmall { get; private set; }

        public void Run()
        {
            try
            {
                bitmap = ImageDecoder.Decode(encoded.Span, engine.options.Limits);
                Faces = engine.AnalyzeMesh(bitmap, everyFace, out var tooSmall);
                TooSmall = tooSmall;
            }
            catch (Exception exception)
            {
                // Kept for Decoded, which throws it on the swap's own thread in the order the photos are checked.
                failure = ExceptionDispatchInfo.Capture(exception);
            }
        }

        /// <summary>The decoded photo; throws what went wrong while decoding or analysing it.</summary>
        public SKBitmap Decoded()
        {
            failure?.Throw();
            return bitmap ?? throw new InvalidOperationException("the photo has not been analysed yet");
        }

        public void Dispose() => bitmap?.Dispose();
    }

    private sealed record ClassicModels(FaceModels Models, FaceAnalyzer Analyzer, FaceBlender Blender);

    private sealed record LoadedModels(
        BlazeFaceDetector Detector, FaceMeshLandmarker Landmarker, MeshFaceAnalyzer Analyzer, MeshRegions Regions, MeshFaceSwapper Swapper, ClassicModels? Classic)
        : IDisposable
    {
        public void Dispose()
        {
            Detector.Dispose();
            Landmarker.Dispose();
            Classic?.Models.Dispose();
        }
    }
}
