using SkiaSharp;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>One source face onto one target face with the 468-point mesh: warp, composite, and the gate's checks in between.</summary>
public sealed class MeshFaceSwapper(MeshRegions regions, SwapQualityGate gate)
{
    /// <summary>
    /// Swaps in place into <paramref name="target"/> and returns the region touched. Throws a
    /// <see cref="FaceSwapException"/> (and may leave <paramref name="target"/> half-written) when a check fails.
    /// </summary>
    public SKRectI Swap(SKBitmap target, SKImage source, MeshFace sourceFace, MeshFace targetFace)
    {
        gate.CheckPair(sourceFace, targetFace);
        var region = RegionOf(targetFace, target.Width, target.Height);
        if (region.Width < 8 || region.Height < 8)
        {
            return SKRectI.Empty;
        }

        using var warped = MeshWarper.Warp(source, sourceFace, targetFace, regions, region);
        gate.CheckWarp(warped, regions.TriangleCount);
        var report = FaceCompositor.Composite(target, region, warped, sourceFace, targetFace, regions);
        gate.CheckComposite(report);
        return region;
    }

    /// <summary>The mesh's bounds grown by a few pixels (the soft edge stays inside them), clipped to the photo.</summary>
    public static SKRectI RegionOf(MeshFace face, int width, int height)
    {
        float left = float.MaxValue, top = float.MaxValue, right = float.MinValue, bottom = float.MinValue;
        foreach (var p in face.Points)
        {
            left = MathF.Min(left, p.X); top = MathF.Min(top, p.Y);
            right = MathF.Max(right, p.X); bottom = MathF.Max(bottom, p.Y);
        }

        var region = SKRectI.Ceiling(new SKRect(left - 4, top - 4, right + 4, bottom + 4), outwards: true);
        return SKRectI.Intersect(region, SKRectI.Create(0, 0, width, height));
    }
}
