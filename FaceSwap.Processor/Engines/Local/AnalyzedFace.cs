using SkiaSharp;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>A detected face with its 68 landmarks, in pixels of the upright image.</summary>
public sealed record AnalyzedFace(SKRect DetectorBox, float Score, SKPoint[] Landmarks)
{
    public float Area => DetectorBox.Width * DetectorBox.Height;
}
