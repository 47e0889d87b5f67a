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
    private LocalFaceSwapEngine? classic;
    private byte[] face = null!;
    private byte[] target = null!;
    private SKBitmap targetBitmap = null!;
    private SKBitmap faceBitmap = null!;
    private SKImage faceImage = null!;
    private DetectorFace targetDetection;
    private MeshFace targetFace = null!;
    private MeshFace sourceFace = null!;
    private SKRectI region;

    [ParamsSource(nameof(Sizes))]
    public double Megapixels { get; set; }

    /// <summary>Set by <c>--smoke</c> (in process): one size is enough to show every stage still runs.</summary>
    public static bool SmokeRun { get; set; }

    public static IEnumerable<double> Sizes => SmokeRun ? [0.5] : [0.5, 1.0, 4.0];

    [GlobalSetup]
    public void Setup()
    {
        engine = new LocalFaceSwapEngine(Options.Create(new LocalEngineOptions()), NullLogger<LocalFaceSwapEngine>.Instance);
        engine.EnsureModelsLoaded();
        // The old engine as a same-run reference, where dlib's model is installed (it is not needed otherwise).
        if (File.Exists(LocalEngineOptions.DebianLandmarkModelPath))
        {
            classic = new LocalFaceSwapEngine(Options.Create(new LocalEngineOptions { Pipeline = LocalEngineOptions.ClassicPipeline }), NullLogger<LocalFaceSwapEngine>.Instance);
            classic.EnsureModelsLoaded();
        }

        face = BenchmarkImages.FacePhoto;
        target = BenchmarkImages.TargetOf(Megapixels);
        targetBitmap = ImageDecoder.Decode(target, ImageLimits.Default);
        faceBitmap = ImageDecoder.Decode(face, ImageLimits.Default);
        faceImage = SKImage.FromBitmap(faceBitmap);
        (targetFace, targetDetection) = engine.AnalyzeMesh(targetBitmap, everyFace: true, out _).Single();
        sourceFace = engine.AnalyzeMesh(faceBitmap, everyFace: true, out _).Single().Face;
        region = MeshFaceSwapper.RegionOf(targetFace, targetBitmap.Width, targetBitmap.Height);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        faceImage.Dispose();
        faceBitmap.Dispose();
        targetBitmap.Dispose();
        engine.Dispose();
        classic?.Dispose();
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
    public int DetectLargest() => engine.Detector.Detect(targetBitmap, 0.75f, everyFace: false).Count;

    [Benchmark(Description = "detect: whole + 3x3 tiles (every face)")]
    public int DetectEvery() => engine.Detector.Detect(targetBitmap, 0.75f, everyFace: true).Count;

    [Benchmark(Description = "mesh: 468 points for one face (the landmarker's default passes)")]
    public float MeshOneFace() => engine.Landmarker.Locate(targetBitmap, targetDetection).Points[1].Y;

    [Benchmark(Description = "warp: mesh triangles onto the target region")]
    public int Warp()
    {
        using var warped = MeshWarper.Warp(faceImage, sourceFace, targetFace, engine.Regions, region);
        return warped.TrianglesDrawn;
    }

    [Benchmark(Description = "warp + masks, colour, detail, band blend (one face)")]
    public float WarpComposite()
    {
        using var warped = MeshWarper.Warp(faceImage, sourceFace, targetFace, engine.Regions, region);
        return FaceCompositor.Composite(targetBitmap, region, warped, sourceFace, targetFace, engine.Regions).SharpnessRatio;
    }

    [Benchmark(Description = "encode JPEG q90")]
    public int Encode() => ImageEncoder.Encode(targetBitmap, ImageFormat.Jpeg, 90).Bytes.Length;

    [Benchmark(Description = "whole swap: both decodes to JPEG, quality gate included")]
    public int WholeSwap() => engine.Swap(new SwapRequest(new EngineImage(face), new EngineImage(target), SwapOptions.Default), CancellationToken.None).Image.Length;

    [Benchmark(Description = "reference: whole swap by the old engine (Pipeline=classic, dlib)")]
    public int WholeSwapClassic() => classic?.Swap(new SwapRequest(new EngineImage(face), new EngineImage(target), SwapOptions.Default), CancellationToken.None).Image.Length ?? 0;
}
