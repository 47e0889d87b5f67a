using FaceSwap.Processor.Engines.Local;
using SkiaSharp;

namespace FaceSwap.Benchmarks.Quality;

/// <summary>
/// The upper reference: the source photo aligned on five points (eye centres, nose tip, mouth corners) by a similarity
/// transform and pasted over the target's face outline with a feathered edge, no colour correction. It carries about as
/// much of the source's identity as these embedders can see, while the target's hair and outline stay.
/// </summary>
public static class NaivePaste
{
    public static SKBitmap Paste(SKBitmap source, MeshFace sourceFace, SKBitmap target, MeshFace targetFace, MeshRegions regions)
    {
        var matrix = Similarity(IdentityModels.FivePoints(sourceFace).ToArray(), IdentityModels.FivePoints(targetFace).ToArray());
        var result = target.Copy();
        var faceWidth = FaceFeatures.EyeDistance(targetFace) * 2.2f;
        using var layer = new SKBitmap(target.Info);
        using (var canvas = new SKCanvas(layer))
        using (var image = SKImage.FromBitmap(source))
        {
            canvas.Clear(SKColors.Transparent);
            canvas.SetMatrix(matrix);
            canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear));
            canvas.ResetMatrix();
            using var feather = SKMaskFilter.CreateBlur(SKBlurStyle.Normal, MathF.Max(1.5f, faceWidth * 0.03f));
            using var mask = new SKBitmap(new SKImageInfo(target.Width, target.Height, SKColorType.Alpha8, SKAlphaType.Premul));
            using (var maskCanvas = new SKCanvas(mask))
            using (var fill = new SKPaint { IsAntialias = true, MaskFilter = feather, Color = SKColors.White })
            using (var path = Geometry.PathOf(Geometry.ShrinkConvex(Geometry.ConvexHull(regions.FaceOval.Select(targetFace.At)), faceWidth * 0.06f)))
            {
                maskCanvas.Clear(SKColors.Transparent);
                maskCanvas.DrawPath(path, fill);
            }

            // DstIn over the whole layer: what the mask leaves out becomes transparent, so only the face is pasted.
            using var keep = new SKPaint { BlendMode = SKBlendMode.DstIn };
            using var maskImage = SKImage.FromBitmap(mask);
            canvas.DrawImage(maskImage, 0, 0, SKSamplingOptions.Default, keep);
        }

        using (var canvas = new SKCanvas(result))
        using (var image = SKImage.FromBitmap(layer))
        {
            canvas.DrawImage(image, 0, 0, SKSamplingOptions.Default, null);
        }

        return result;
    }

    /// <summary>Least-squares similarity (rotation, one scale, shift) taking <paramref name="from"/> onto <paramref name="to"/>.</summary>
    public static SKMatrix Similarity(SKPoint[] from, SKPoint[] to)
    {
        double mfx = from.Average(p => p.X), mfy = from.Average(p => p.Y), mtx = to.Average(p => p.X), mty = to.Average(p => p.Y);
        double a = 0, b = 0, norm = 0;
        for (var i = 0; i < from.Length; i++)
        {
            double fx = from[i].X - mfx, fy = from[i].Y - mfy, tx = to[i].X - mtx, ty = to[i].Y - mty;
            a += fx * tx + fy * ty;
            b += fx * ty - fy * tx;
            norm += fx * fx + fy * fy;
        }

        a /= norm;
        b /= norm;
        return new SKMatrix((float)a, (float)-b, (float)(mtx - a * mfx + b * mfy), (float)b, (float)a, (float)(mty - b * mfx - a * mfy), 0, 0, 1);
    }
}
