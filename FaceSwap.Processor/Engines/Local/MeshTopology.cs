using System.Numerics;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>The mesh's constant data (<see cref="FaceMeshTopology"/>) in the shape the swap reads it, built once.</summary>
public static class MeshTopology
{
    private static readonly Lazy<MeshRegions> regions = new(Build);

    public static MeshRegions Regions => regions.Value;

    private static MeshRegions Build() => new(
        Ints(FaceMeshTopology.Triangles),
        Ints(FaceMeshTopology.FaceOval),
        Ints(FaceMeshTopology.LipsInner),
        Ints(FaceMeshTopology.RightEye),
        Ints(FaceMeshTopology.LeftEye),
        Ints(FaceMeshTopology.Dlib68),
        MirrorFromUv(FaceMeshTopology.CanonicalUv));

    /// <summary>
    /// Each point's partner on the other side of the face: the canonical UV layout is left-right symmetric about u = 0.5,
    /// so the partner is the point nearest (1 - u, v).
    /// </summary>
    private static int[] MirrorFromUv(ReadOnlySpan<float> uv)
    {
        var count = uv.Length / 2;
        var points = new Vector2[count];
        for (var i = 0; i < count; i++)
        {
            points[i] = new Vector2(uv[i * 2], uv[i * 2 + 1]);
        }

        var mirror = new int[count];
        for (var i = 0; i < count; i++)
        {
            var reflected = points[i] with { X = 1f - points[i].X };
            var best = i;
            var bestDistance = float.MaxValue;
            for (var j = 0; j < count; j++)
            {
                var distance = Vector2.DistanceSquared(reflected, points[j]);
                if (distance < bestDistance)
                {
                    bestDistance = distance;
                    best = j;
                }
            }

            mirror[i] = best;
        }

        return mirror;
    }

    private static int[] Ints(ReadOnlySpan<short> values)
    {
        var result = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }

        return result;
    }
}
