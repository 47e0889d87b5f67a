using BenchmarkDotNet.Attributes;
using FaceSwap.Contracts;
using FaceSwap.Processor.Engines;
using FaceSwap.Processor.Engines.Local;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace FaceSwap.Benchmarks;

/// <summary>
/// The local engine's stages on one target size, warm (models loaded in setup). The baseline is a plain
/// decode + JPEG encode of the same target, the floor any swap pays.
/// </summary>
[MemoryDiagnoser]
public class EngineStageBenchmarks
{
    private LocalFaceSwapEngine engine = null!;
    private FaceAnalyzer analyzer = null!;
    private FaceModels models = null!;
    private byte[] face = null!;
    private byte[] target = null!;
    private SKBitmap targetBitmap = null!;
    private SKBitmap faceBitmap = null!;
    private SKImage faceImage = null!;
    private RgbaPixels pixels;
    private AnalyzedFace targetFace = null!;
    private AnalyzedFace sourceFace = null!;

    [ParamsSource(nameof(Sizes))]
    public double Megapixels { get; set; }

    /// <summary>Set by <c>--smoke</c> (in process): one size is enough to show every stage still runs.</summary>
    public static bool SmokeRun { get; set; }

    public static IEnumerable<double> Sizes => SmokeRun ? [0.5] : [0.5, 1.0, 4.0];

    [GlobalSetup]
    public void Setup()
    {
        var options = new LocalEngineOptions();
        engine = new LocalFaceSwapEngine(Options.Create(options), NullLogger<LocalFaceSwapEngine>.Instance);
        engine.EnsureModelsLoaded();
        models = FaceModels.Load(options.ResolvedDetectorModelPath, options.LandmarkModelPath);
        analyzer = new FaceAnalyzer(models);
        face = BenchmarkImages.FacePhoto;
        target = BenchmarkImages.TargetOf(Megapixels);
        targetBitmap = ImageDecoder.Decode(target, ImageLimits.Default);
        faceBitmap = ImageDecoder.Decode(face, ImageLimits.Default);
        faceImage = SKImage.FromBitmap(faceBitmap);
        pixels = FaceAnalyzer.PixelsOf(targetBitmap);
        targetFace = engine.Analyze(targetBitmap, everyFace: true, out _).Single();
        sourceFace = engine.Analyze(faceBitmap, everyFace: true, out _).Single();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        faceImage.Dispose();
        faceBitmap.Dispose();
        targetBitmap.Dispose();
        models.Dispose();
        engine.Dispose();
    }

    [Benchmark(Baseline = true, Description = "baseline: decode + encode JPEG q90")]
    public int DecodeEncode()
    {
        using var bitmap = ImageDecoder.Decode(target, ImageLimits.Default);
        return ImageEncoder.Encode(bitmap, ImageFormat.Jpeg, 90).Bytes.Length;
    }

    [Benchmark(Description = "decode")]
    public int Decode()
    {
        using var bitmap = ImageDecoder.Decode(target, ImageLimits.Default);
        return bitmap.Width;
    }

    [Benchmark(Description = "detect: whole photo only (largest face)")]
    public int DetectLargest() => models.Detector.Detect(targetBitmap, 0.75f, everyFace: false).Count;

    [Benchmark(Description = "detect: whole + 3x3 tiles (every face)")]
    public int DetectEvery() => models.Detector.Detect(targetBitmap, 0.75f, everyFace: true).Count;

    [Benchmark(Description = "landmarks: one dlib prediction")]
    public float LandmarksOnePass() => models.Landmarks.Predict(pixels, SKRectI.Round(targetFace.DetectorBox))[8].Y;

    [Benchmark(Description = "landmarks: one face (2 passes)")]
    public float LandmarksPerFace() => analyzer.Landmarks(pixels, targetFace.DetectorBox)[8].Y;

    [Benchmark(Description = "warp + colour + blend (one face)")]
    public int WarpBlend() => engine.Blender.Blend(targetBitmap, faceImage, sourceFace.Landmarks, targetFace.Landmarks).Width;

    [Benchmark(Description = "encode JPEG q90")]
    public int Encode() => ImageEncoder.Encode(targetBitmap, ImageFormat.Jpeg, 90).Bytes.Length;

    [Benchmark(Description = "whole swap: both decodes to JPEG")]
    public int WholeSwap() => engine.Swap(new SwapRequest(new EngineImage(face), new EngineImage(target), SwapOptions.Default), CancellationToken.None).Image.Length;
}

/// <summary>Model load from disk: dlib's 100 MB file parsed from a stream plus the ONNX session.</summary>
[MemoryDiagnoser]
public class ModelLoadBenchmarks
{
    private readonly LocalEngineOptions options = new();

    [Benchmark(Description = "load BlazeFace + dlib models")]
    public int Load()
    {
        using var models = FaceModels.Load(options.ResolvedDetectorModelPath, options.LandmarkModelPath);
        return models.Landmarks.PointCount;
    }
}
