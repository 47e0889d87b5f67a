using SkiaSharp;

namespace FaceSwap.Benchmarks.Quality;

/// <summary>One ordered pair of the quality benchmark: the face photo, the target, and what makes the case hard.</summary>
/// <param name="Publishable">Both photos come from the public-domain pictures only, so the pair may appear in docs/examples.</param>
public sealed record QualityPair(string Name, string Case, PhotoVariant Face, PhotoVariant Target, bool Publishable);
