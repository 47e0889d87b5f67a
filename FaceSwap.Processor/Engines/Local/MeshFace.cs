using System.Numerics;
using SkiaSharp;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>
/// A face found by the detector and fitted with the 468-point 3D mesh, in pixels of the upright photo
/// (z: depth at the scale of x, smaller is nearer the camera).
/// </summary>
/// <param name="MeshScore">The mesh model's own confidence that it sees a face (1 on a clear face).</param>
public sealed record MeshFace(SKRect DetectorBox, float Score, Vector3[] Points, float MeshScore = 1f)
{
    public float Area => DetectorBox.Width * DetectorBox.Height;

    public HeadPose Pose => HeadPose.Of(Points);

    public SKPoint At(int index) => new(Points[index].X, Points[index].Y);
}
