using BenchmarkDotNet.Attributes;
using FaceSwap.Processor.Engines.Local;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaceSwap.Benchmarks;

/// <summary>Model load from disk: the BlazeFace and face mesh ONNX sessions.</summary>
[MemoryDiagnoser]
public class ModelLoadBenchmarks
{
    [Benchmark(Description = "load BlazeFace + face mesh models")]
    public void Load()
    {
        using var engine = new LocalFaceSwapEngine(Options.Create(new LocalEngineOptions()), NullLogger<LocalFaceSwapEngine>.Instance);
        engine.EnsureModelsLoaded();
    }
}
