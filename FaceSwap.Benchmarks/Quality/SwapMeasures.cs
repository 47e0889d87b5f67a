using FaceSwap.Processor.Engines.Local;
using SkiaSharp;

namespace FaceSwap.Benchmarks.Quality;

public static class SwapMeasures
{
    public static float Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return (float)(dot / Math.Sqrt(Math.Max(1e-12, na * nb)));
    }

    public static SwapMeasure Measure(
        SKBitmap result, SKBitmap target, MeshFace targetFace, float[][] sourceEmbeddings, float[][] targetEmbeddings,
        IReadOnlyList<IdentityModel> models, MeshFace? found, MeshRegions regions)
    {
        var toSource = new float[models.Count];
        var toTarget = new float[models.Count];
        for (var m = 0; m < models.Count; m++)
        {
            // Embedded at the target face's place: a face that moved is caught by the mesh error, not hidden by re-alignment.
            var embedding = models[m].Embed(result, targetFace);
            toSource[m] = Cosine(embedding, sourceEmbeddings[m]);
            toTarget[m] = Cosine(embedding, targetEmbeddings[m]);
        }

        float poseError = float.NaN, meshError = float.NaN;
        if (found is not null)
        {
            var a = found.Pose;
            var b = targetFace.Pose;
            poseError = MathF.Max(MathF.Abs(a.Roll - b.Roll), MathF.Max(MathF.Abs(a.Yaw - b.Yaw), MathF.Abs(a.Pitch - b.Pitch)));
            meshError = regions.Landmarks68.Average(i => SKPoint.Distance(found.At(i), targetFace.At(i))) / FaceFeatures.EyeDistance(targetFace);
        }

        var (seam, outside) = SeamAndOutside(result, target, targetFace, regions);
        return new SwapMeasure(toSource, toTarget, poseError, meshError, seam, outside, found is not null);
    }

    /// <summary>
    /// Seam: the change image (result minus target, grey) should fall to zero smoothly at the edge of what changed; a
    /// visible seam is a step there. Measured as the mean gradient of the change over a 3-pixel ring around the changed
    /// region's outline. Outside change: the mean change beyond the target's face outline grown by half an eye distance.
    /// </summary>
    private static (float Seam, float Outside) SeamAndOutside(SKBitmap result, SKBitmap target, MeshFace targetFace, MeshRegions regions)
    {
        int width = target.Width, height = target.Height;
        var change = new float[width * height];
        var a = result.GetPixelSpan();
        var b = target.GetPixelSpan();
        int rowA = result.RowBytes, rowB = target.RowBytes;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                int i = y * rowA + x * 4, j = y * rowB + x * 4;
                change[y * width + x] = (a[i] + a[i + 1] + a[i + 2] - b[j] - b[j + 1] - b[j + 2]) / 3f;
            }
        }

        var changed = new float[change.Length];
        for (var i = 0; i < change.Length; i++)
        {
            changed[i] = MathF.Abs(change[i]) > 2f ? 1f : 0f;
        }

        // Dilating and eroding by a blur and two thresholds; the ring is what lies between.
        var spread = PlaneBlur.Gaussian(changed, width, height, 2f);
        double seamSum = 0;
        var seamCount = 0;
        for (var y = 1; y < height - 1; y++)
        {
            for (var x = 1; x < width - 1; x++)
            {
                var i = y * width + x;
                if (spread[i] is > 0.1f and < 0.9f)
                {
                    var gx = (change[i + 1] - change[i - 1]) / 2f;
                    var gy = (change[i + width] - change[i - width]) / 2f;
                    seamSum += MathF.Sqrt(gx * gx + gy * gy);
                    seamCount++;
                }
            }
        }

        var hull = Geometry.ShrinkConvex(Geometry.ConvexHull(regions.FaceOval.Select(targetFace.At)), -FaceFeatures.EyeDistance(targetFace) * 0.5f);
        using var path = Geometry.PathOf(hull);
        using var face = new SKBitmap(new SKImageInfo(width, height, SKColorType.Alpha8, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(face))
        using (var paint = new SKPaint { Color = SKColors.White })
        {
            canvas.Clear(SKColors.Transparent);
            canvas.DrawPath(path, paint);
        }

        var inside = face.GetPixelSpan();
        var faceRow = face.RowBytes;
        double outsideSum = 0;
        var outsideCount = 0;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                if (inside[y * faceRow + x] == 0)
                {
                    outsideSum += MathF.Abs(change[y * width + x]);
                    outsideCount++;
                }
            }
        }

        return (seamCount > 0 ? (float)(seamSum / seamCount) : 0f, outsideCount > 0 ? (float)(outsideSum / outsideCount) : 0f);
    }
}
