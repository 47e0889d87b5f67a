using System.Numerics;
using SkiaSharp;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>
/// MediaPipe's 468 face points in photo pixels: X and Y in the photo, Z the relative depth on the same scale as X
/// (smaller is nearer the camera). <see cref="FaceScore"/> is the model's face-presence score (near 1 on a face).
/// </summary>
public sealed class FaceMesh
{
    private readonly Vector3[] points;

    public FaceMesh(Vector3[] points, float faceScore, FaceMeshCrop crop)
    {
        if (points.Length != FaceMeshTopology.PointCount)
        {
            throw new ArgumentException($"a face mesh has {FaceMeshTopology.PointCount} points, not {points.Length}", nameof(points));
        }

        this.points = points;
        FaceScore = faceScore;
        Crop = crop;
    }

    public IReadOnlyList<Vector3> Points => points;

    public float FaceScore { get; }

    /// <summary>The crop the model ran on.</summary>
    public FaceMeshCrop Crop { get; }

    public SKPoint Point(int index) => new(points[index].X, points[index].Y);

    /// <summary>The points standing in for dlib's 68 landmarks, in dlib's order (see <see cref="FaceMeshTopology.Dlib68"/>).</summary>
    public SKPoint[] ToDlib68() => Select(FaceMeshTopology.Dlib68);

    public SKPoint[] Select(ReadOnlySpan<short> indices)
    {
        var selected = new SKPoint[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            selected[i] = Point(indices[i]);
        }

        return selected;
    }

    /// <summary>Eye centres (the mean of each eye's lid contour), the nose tip and the mouth corners.</summary>
    public FaceMeshFivePoints FivePoints() => new(
        Mean(FaceMeshTopology.RightEye),
        Mean(FaceMeshTopology.LeftEye),
        Point(FaceMeshTopology.NoseTip),
        Point(FaceMeshTopology.RightMouthCorner),
        Point(FaceMeshTopology.LeftMouthCorner));

    public SKRect Bounds()
    {
        float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
        foreach (var p in points)
        {
            (minX, maxX, minY, maxY) = (Math.Min(minX, p.X), Math.Max(maxX, p.X), Math.Min(minY, p.Y), Math.Max(maxY, p.Y));
        }

        return new SKRect(minX, minY, maxX, maxY);
    }

    private SKPoint Mean(ReadOnlySpan<short> indices)
    {
        float x = 0, y = 0;
        foreach (var index in indices)
        {
            x += points[index].X;
            y += points[index].Y;
        }

        return new SKPoint(x / indices.Length, y / indices.Length);
    }
}
