using SkiaSharp;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>
/// The square of the photo the face mesh model looks at: centred on the face, <see cref="Size"/> pixels wide and
/// turned by <see cref="Angle"/> (radians, the face's eye line) so the model sees the face upright.
/// </summary>
public readonly record struct FaceMeshCrop(SKPoint Centre, float Size, float Angle)
{
    /// <summary>MediaPipe crops 1.5 times the face's box: the mesh reaches past the detector's box on every side.</summary>
    public const float Enlargement = 1.5f;

    /// <summary>The crop around a detected face: the box enlarged to a square, turned by the line between the eyes.</summary>
    public static FaceMeshCrop Around(DetectorFace face)
    {
        var angle = MathF.Atan2(face.LeftEye.Y - face.RightEye.Y, face.LeftEye.X - face.RightEye.X);
        return new FaceMeshCrop(new SKPoint(face.Box.MidX, face.Box.MidY), Math.Max(face.Box.Width, face.Box.Height) * Enlargement, angle);
    }

    /// <summary>
    /// The crop refitted to a mesh (MediaPipe tracks a face this way from one frame to the next): turned by the line
    /// between the outer eye corners, around the points' bounding box in that turned frame, enlarged the same way.
    /// </summary>
    public static FaceMeshCrop Around(FaceMesh mesh)
    {
        var right = mesh.Point(FaceMeshTopology.RightEyeOuterCorner);
        var left = mesh.Point(FaceMeshTopology.LeftEyeOuterCorner);
        var angle = MathF.Atan2(left.Y - right.Y, left.X - right.X);
        var (cos, sin) = (MathF.Cos(-angle), MathF.Sin(-angle));
        float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
        foreach (var p in mesh.Points)
        {
            var x = p.X * cos - p.Y * sin;
            var y = p.X * sin + p.Y * cos;
            (minX, maxX, minY, maxY) = (Math.Min(minX, x), Math.Max(maxX, x), Math.Min(minY, y), Math.Max(maxY, y));
        }

        var (midX, midY) = ((minX + maxX) / 2, (minY + maxY) / 2);
        var centre = new SKPoint(midX * MathF.Cos(angle) - midY * MathF.Sin(angle), midX * MathF.Sin(angle) + midY * MathF.Cos(angle));
        return new FaceMeshCrop(centre, Math.Max(maxX - minX, maxY - minY) * Enlargement, angle);
    }

    /// <summary>Maps crop pixels (0..<paramref name="cropSize"/>) to photo pixels.</summary>
    public SKMatrix CropToImage(int cropSize)
    {
        var scale = Size / cropSize;
        return SKMatrix.CreateTranslation(-cropSize / 2f, -cropSize / 2f)
            .PostConcat(SKMatrix.CreateScale(scale, scale))
            .PostConcat(SKMatrix.CreateRotation(Angle))
            .PostConcat(SKMatrix.CreateTranslation(Centre.X, Centre.Y));
    }
}
