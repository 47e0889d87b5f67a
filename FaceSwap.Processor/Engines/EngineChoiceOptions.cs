using System.ComponentModel.DataAnnotations;
using FaceSwap.Processor.Engines.Local;

namespace FaceSwap.Processor.Engines;

/// <summary><c>FaceSwap:Engine</c>: which engine swaps, <c>local</c> (the default) or <c>magicapi</c>, in any case.</summary>
public sealed class EngineChoiceOptions
{
    public const string SectionName = "FaceSwap";

    [RegularExpression(@"(?i)^\s*(local|magicapi)\s*$", ErrorMessage = "FaceSwap:Engine must be 'local' or 'magicapi'.")]
    public string Engine { get; set; } = LocalFaceSwapEngine.EngineName;

    /// <summary>The engine's name as the engines spell it.</summary>
    public string Name => Engine.Trim().ToLowerInvariant();
}
