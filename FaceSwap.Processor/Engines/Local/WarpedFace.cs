using System.Numerics;
using SkiaSharp;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>What the warp drew: the source face laid over the target region, and how much of it had to be mirrored.</summary>
public sealed record WarpedFace(SKBitmap Pixels, int TrianglesDrawn, int TrianglesMirrored, int TrianglesSkipped) : IDisposable
{
    public float MirroredShare => TrianglesDrawn == 0 ? 0 : (float)TrianglesMirrored / TrianglesDrawn;

    public void Dispose() => Pixels.Dispose();
}
