namespace FaceSwap.Processor.Engines.Local;

/// <summary>
/// The parts of the 468-point mesh the swap needs: its triangles, and the outlines of the face, the eyes and the inner lips.
/// Index lists are in the mesh's own numbering.
/// </summary>
public sealed class MeshRegions
{
    public MeshRegions(int[] triangles, int[] faceOval, int[] innerLips, int[] rightEye, int[] leftEye, int[] landmarks68, int[] mirror)
    {
        if (triangles.Length % 3 != 0)
        {
            throw new ArgumentException("triangle indices must come in threes", nameof(triangles));
        }

        Triangles = triangles;
        FaceOval = faceOval;
        InnerLips = innerLips;
        RightEye = rightEye;
        LeftEye = leftEye;
        Landmarks68 = landmarks68;
        Mirror = mirror;
    }

    public int[] Triangles { get; }
    public int TriangleCount => Triangles.Length / 3;

    /// <summary>The outline of the face, forehead to chin, in order around it.</summary>
    public int[] FaceOval { get; }

    /// <summary>The opening between the lips, in order around it.</summary>
    public int[] InnerLips { get; }

    public int[] RightEye { get; }
    public int[] LeftEye { get; }

    /// <summary>The mesh points nearest the 68 classic (iBUG) landmarks, in that scheme's order.</summary>
    public int[] Landmarks68 { get; }

    /// <summary>For every point, its partner on the other side of the face.</summary>
    public int[] Mirror { get; }
}
