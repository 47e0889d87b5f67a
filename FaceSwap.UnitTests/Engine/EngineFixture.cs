using FaceSwap.Processor.Engines.Local;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaceSwap.Tests.Engine;

/// <summary>One local engine, models loaded once, shared by every engine test class.</summary>
public sealed class EngineFixture : IDisposable
{
    public EngineFixture()
    {
        Options = new LocalEngineOptions();
        Engine = new LocalFaceSwapEngine(Microsoft.Extensions.Options.Options.Create(Options), NullLogger<LocalFaceSwapEngine>.Instance);
        Engine.EnsureModelsLoaded();
    }

    public LocalEngineOptions Options { get; }

    public LocalFaceSwapEngine Engine { get; }

    public void Dispose() => Engine.Dispose();
}
