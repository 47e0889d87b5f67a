using System.Diagnostics;
using FaceSwap.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>The offline engine: BlazeFace detection, dlib landmarks, a mesh warp and a colour-matched blend.</summary>
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
        // ExecutionAndPublication: concurrent first requests load the 100 MB model once, not once each.
        models = new Lazy<LoadedModels>(LoadModels, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Name => EngineName;

    public bool ModelsLoaded => models.IsValueCreated;

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
        var faceModels = FaceModels.Load(options.ResolvedDetectorModelPath, options.LandmarkModelPath);
        var loaded = new LoadedModels(faceModels, new FaceAnalyzer(faceModels), new FaceBlender(faceModels.Landmarks.MeanShape));
        logger.LogInformation("Local face-swap models loaded in {ElapsedMs} ms from {LandmarkModelPath}", stopwatch.ElapsedMilliseconds, options.LandmarkModelPath);
        return loaded;
    }

    public Task<IReadOnlyList<DetectedFace>> DetectAsync(EngineImage image, CancellationToken cancellationToken) =>
        Task.Run(() => Detect(image.Bytes.Span), cancellationToken);

    public Task<SwapOutput> SwapAsync(SwapRequest request, CancellationToken cancellationToken) =>
        Task.Run(() => Swap(request, cancellationToken), cancellationToken);

    public Task<HealthCheckResult> CheckHealthAsync(CancellationToken cancellationToken)
    {
        if (models.IsValueCreated)
        {
            return Task.FromResult(HealthCheckResult.Healthy("local engine: detector and landmark models loaded"));
        }

        try
        {
            EnsureModelsLoaded();
            return Task.FromResult(HealthCheckResult.Healthy("local engine: detector and landmark models loaded"));
        }
        catch (FaceSwapException exception)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(exception.Message, exception.InnerException));
        }
    }

    /// <summary>Faces left to right, each with box, score and 68 landmarks.</summary>
    public IReadOnlyList<DetectedFace> Detect(ReadOnlySpan<byte> encoded)
    {
        using var image = ImageDecoder.Decode(encoded, options.Limits);
        return Analyze(image, everyFace: true, out _).Select(ToDetectedFace).ToList();
    }

    public SwapOutput Swap(SwapRequest request, CancellationToken cancellationToken)
    {
        var loaded = Models;
        AnalyzedFace sourceFace;
        using var faceBitmap = ImageDecoder.Decode(request.Face.Bytes.Span, options.Limits);
        {
            // Only the largest face of the face photo is used: the tiles are searched only if the whole photo shows none.
            var faces = Analyze(faceBitmap, everyFace: false, out var tooSmall);
            if (faces.Count == 0)
            {
                throw tooSmall > 0
                    ? new FaceSwapException(SwapFailureReason.FaceTooSmall, $"the face in the face photo is too small (under {options.MinFaceSize} px)")
                    : new FaceSwapException(SwapFailureReason.NoFaceInFacePhoto, "no face found in the face photo");
            }

            sourceFace = faces.MaxBy(f => f.Area)!;
        }

        cancellationToken.ThrowIfCancellationRequested();
        using var target = ImageDecoder.Decode(request.Target.Bytes.Span, options.Limits);
        var selection = request.Options.Selection;
        // For the largest face the whole-photo pass suffices; an index or all faces need the same full search as detect.
        var targetFaces = Analyze(target, everyFace: selection.Mode != TargetFaceMode.Largest, out var targetTooSmall);
        if (targetFaces.Count == 0)
        {
            throw targetTooSmall > 0
                ? new FaceSwapException(SwapFailureReason.FaceTooSmall, $"the face in the target photo is too small (under {options.MinFaceSize} px)")
                : new FaceSwapException(SwapFailureReason.NoFaceInTarget, "no face found in the target photo");
        }

        IReadOnlyList<AnalyzedFace> chosen = selection.Mode switch
        {
            TargetFaceMode.All => targetFaces,
            TargetFaceMode.Index when selection.Index < 0 || selection.Index >= targetFaces.Count =>
                throw new FaceSwapException(SwapFailureReason.FaceIndexOutOfRange,
                    $"face index {selection.Index} is out of range: the target photo has {targetFaces.Count} face(s), numbered from 0 left to right"),
            TargetFaceMode.Index => [targetFaces[selection.Index]],
            _ => [targetFaces.MaxBy(f => f.Area)!],
        };

        using (var source = SKImage.FromBitmap(faceBitmap))
        {
            foreach (var face in chosen)
            {
                cancellationToken.ThrowIfCancellationRequested();
                loaded.Blender.Blend(target, source, sourceFace.Landmarks, face.Landmarks);
            }
        }

        var (bytes, contentType) = ImageEncoder.Encode(target, request.Options.Format, request.Options.Quality);
        return new SwapOutput(bytes, contentType, chosen.Count);
    }

    /// <summary>Faces sorted left to right, so an index means the same thing in detect and swap.</summary>
    internal IReadOnlyList<AnalyzedFace> Analyze(SKBitmap image, bool everyFace, out int tooSmall) =>
        Models.Analyzer.Analyze(image, options.MinDetectionScore, options.MinFaceSize, everyFace, out tooSmall)
            .OrderBy(f => f.DetectorBox.MidX)
            .ToList();

    internal FaceBlender Blender => Models.Blender;

    private static DetectedFace ToDetectedFace(AnalyzedFace face) => new(
        new FaceBox(face.DetectorBox.Left, face.DetectorBox.Top, face.DetectorBox.Width, face.DetectorBox.Height),
        face.Score,
        face.Landmarks.Select(p => new LandmarkPoint(p.X, p.Y)).ToList());

    public void Dispose()
    {
        if (models.IsValueCreated)
        {
            models.Value.Models.Dispose();
        }
    }

    private sealed record LoadedModels(FaceModels Models, FaceAnalyzer Analyzer, FaceBlender Blender);
}
