using SkiaSharp;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>What compositing found out about the two faces: how much of each was covered by something that is not skin.</summary>
public readonly record struct CompositeReport(float TargetOccludedShare, float SourceOccludedShare, float SharpnessRatio);
