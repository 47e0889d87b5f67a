namespace FaceSwap.Processor.Engines.Local;

/// <summary>Size limits checked from the image header, before any pixel memory is allocated.</summary>
public sealed record ImageLimits(long MaxBytes, long MaxPixels, int MaxSide)
{
    public static ImageLimits Default { get; } = new(MaxBytes: 30 * 1024 * 1024, MaxPixels: 40_000_000, MaxSide: 20_000);
}
