using System.Numerics;
using SkiaSharp;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>
/// The dense warp: each mesh triangle of the source face is mapped onto the same triangle of the target face
/// (SkiaSharp's DrawVertices, a crack-free piecewise-affine warp). Triangles the source shows edge-on or from behind
/// carry no usable texture: their mirror partner on the other side of the face is used instead (flipped), or, when that
/// is hidden too, nothing is drawn and the target shows through. Triangles facing away in the target are not drawn, and
/// the rest are drawn far to near, so a nose never disappears behind the cheek it covers.
/// </summary>
public static class MeshWarper
{
    /// <summary>A source triangle turned further than this from the camera (cosine) is too foreshortened to stretch.</summary>
    public const float MinSourceFacing = 0.3f;

    /// <summary>How much better the mirror partner must face the camera to be used instead: near the midline both sides are alike.</summary>
    public const float MirrorMargin = 0.15f;

    /// <summary>Below this (nearly edge-on, or facing away) a source triangle is never used, even when no partner is better.</summary>
    public const float MinVisibleFacing = 0.05f;

    public static WarpedFace Warp(SKImage source, MeshFace sourceFace, MeshFace targetFace, MeshRegions regions, SKRectI region)
    {
        var triangles = regions.Triangles;
        var sourceFacing = Facing(sourceFace.Points, triangles);
        var targetFacing = Facing(targetFace.Points, triangles);
        var mirror = regions.Mirror;
        var lookup = new Dictionary<(int, int, int), int>(regions.TriangleCount);
        for (var t = 0; t < regions.TriangleCount; t++)
        {
            lookup.TryAdd(Key(triangles[t * 3], triangles[t * 3 + 1], triangles[t * 3 + 2]), t);
        }

        var order = Enumerable.Range(0, regions.TriangleCount)
            .Where(t => targetFacing[t] > 0)
            .OrderByDescending(t => targetFace.Points[triangles[t * 3]].Z + targetFace.Points[triangles[t * 3 + 1]].Z + targetFace.Points[triangles[t * 3 + 2]].Z)
            .ToList();

        var positions = new List<SKPoint>(order.Count * 3);
        var textures = new List<SKPoint>(order.Count * 3);
        int mirrored = 0, skipped = regions.TriangleCount - order.Count;
        var offset = new SKPoint(-region.Left, -region.Top);
        foreach (var t in order)
        {
            int a = triangles[t * 3], b = triangles[t * 3 + 1], c = triangles[t * 3 + 2];
            int ta = a, tb = b, tc = c;
            if (sourceFacing[t] < MinSourceFacing)
            {
                // The partner triangle's own winding does not matter: its corners are matched vertex by vertex.
                var partnerFacing = lookup.TryGetValue(Key(mirror[a], mirror[b], mirror[c]), out var partner) ? sourceFacing[partner] : -1f;
                if (partnerFacing > sourceFacing[t] + MirrorMargin)
                {
                    (ta, tb, tc) = (mirror[a], mirror[b], mirror[c]);
                    mirrored++;
                }
                else if (sourceFacing[t] < MinVisibleFacing)
                {
                    // Seen from behind or edge-on on both sides: no texture to take, the target shows through.
                    skipped++;
                    continue;
                }
            }

            positions.Add(targetFace.At(a) + offset);
            positions.Add(targetFace.At(b) + offset);
            positions.Add(targetFace.At(c) + offset);
            textures.Add(sourceFace.At(ta));
            textures.Add(sourceFace.At(tb));
            textures.Add(sourceFace.At(tc));
        }

        var pixels = new SKBitmap(new SKImageInfo(region.Width, region.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(pixels))
        using (var shader = source.ToShader(SKShaderTileMode.Clamp, SKShaderTileMode.Clamp, new SKSamplingOptions(SKFilterMode.Linear)))
        using (var paint = new SKPaint { Shader = shader, IsAntialias = false })
        {
            canvas.Clear(SKColors.Transparent);
            if (positions.Count > 0)
            {
                using var vertices = SKVertices.CreateCopy(SKVertexMode.Triangles, positions.ToArray(), textures.ToArray(), null);
                canvas.DrawVertices(vertices, SKBlendMode.Modulate, paint);
            }
        }

        return new WarpedFace(pixels, positions.Count / 3, mirrored, skipped);
    }

    /// <summary>
    /// Per triangle, the cosine between its 3D normal and the direction to the camera: 1 facing it, 0 edge-on, below 0 facing
    /// away. The mesh's winding is not assumed: the sign that most of the face's area has is taken as facing.
    /// </summary>
    public static float[] Facing(ReadOnlySpan<Vector3> points, ReadOnlySpan<int> triangles)
    {
        var count = triangles.Length / 3;
        var facing = new float[count];
        double signedArea = 0;
        for (var t = 0; t < count; t++)
        {
            var a = points[triangles[t * 3]];
            var normal = Vector3.Cross(points[triangles[t * 3 + 1]] - a, points[triangles[t * 3 + 2]] - a);
            var length = normal.Length();
            // -z is towards the camera.
            facing[t] = length > 1e-6f ? -normal.Z / length : 0;
            signedArea += -normal.Z;
        }

        if (signedArea < 0)
        {
            for (var t = 0; t < count; t++)
            {
                facing[t] = -facing[t];
            }
        }

        return facing;
    }

    private static (int, int, int) Key(int a, int b, int c)
    {
        // Sorted, so a triangle is found whatever corner it is listed from.
        if (a > b) { (a, b) = (b, a); }
        if (b > c) { (b, c) = (c, b); }
        if (a > b) { (a, b) = (b, a); }
        return (a, b, c);
    }
}
