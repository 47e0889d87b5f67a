using SkiaSharp;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>
/// Puts a source face onto one target face: piecewise-affine warp of the landmark triangulation, colour
/// correction by the difference of blurred images, and a feathered blend that stays inside the target's face hull,
/// so hair, background and everything outside the face keep their pixels.
/// </summary>
public sealed class FaceBlender
{
    private readonly ushort[] triangleIndices;

    /// <param name="meanShape">The landmark model's mean shape; its Delaunay triangulation is reused for every face, so both meshes share topology.</param>
    public FaceBlender(ReadOnlySpan<float> meanShape)
    {
        var points = new SKPoint[meanShape.Length / 2];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = new SKPoint(meanShape[i * 2], meanShape[i * 2 + 1]);
        }

        triangleIndices = Geometry.Delaunay(points).Select(i => (ushort)i).ToArray();
    }

    /// <summary>Blends in place into <paramref name="target"/>; returns the region that was touched.</summary>
    public SKRectI Blend(SKBitmap target, SKImage source, SKPoint[] sourcePoints, SKPoint[] targetPoints)
    {
        var hull = Geometry.ConvexHull(targetPoints);
        var eyeDistance = SKPoint.Distance(Mean(targetPoints, 36, 42), Mean(targetPoints, 42, 48));
        var featherSigma = MathF.Max(1.5f, eyeDistance * 0.06f);
        var colourSigma = MathF.Max(3f, eyeDistance * 0.4f);

        var bounds = SKRect.Create(hull.Min(p => p.X), hull.Min(p => p.Y), 0, 0);
        bounds.Right = hull.Max(p => p.X);
        bounds.Bottom = hull.Max(p => p.Y);
        var region = SKRectI.Intersect(SKRectI.Ceiling(bounds, outwards: true), SKRectI.Create(0, 0, target.Width, target.Height));
        region.Inflate(1, 1);
        region = SKRectI.Intersect(region, SKRectI.Create(0, 0, target.Width, target.Height));
        if (region.Width < 4 || region.Height < 4)
        {
            return SKRectI.Empty;
        }

        var info = new SKImageInfo(region.Width, region.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var offset = new SKPoint(-region.Left, -region.Top);
        var shiftedTarget = targetPoints.Select(p => p + offset).ToArray();

        using var warped = new SKBitmap(info);
        using (var canvas = new SKCanvas(warped))
        using (var shader = source.ToShader(SKShaderTileMode.Clamp, SKShaderTileMode.Clamp, new SKSamplingOptions(SKFilterMode.Linear)))
        using (var paint = new SKPaint { Shader = shader, IsAntialias = false })
        using (var vertices = SKVertices.CreateCopy(SKVertexMode.Triangles, shiftedTarget, sourcePoints, null, triangleIndices))
        {
            canvas.Clear(SKColors.Transparent);
            canvas.DrawVertices(vertices, SKBlendMode.Modulate, paint);
        }

        // The mask is eroded by three feather sigmas before blurring, so its soft edge ends at the hull.
        using var mask = new SKBitmap(new SKImageInfo(region.Width, region.Height, SKColorType.Alpha8, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(mask))
        using (var blur = SKMaskFilter.CreateBlur(SKBlurStyle.Normal, featherSigma))
        using (var paint = new SKPaint { Color = SKColors.White, IsAntialias = true, MaskFilter = blur })
        using (var pathBuilder = new SKPathBuilder())
        {
            canvas.Clear(SKColors.Transparent);
            var eroded = Geometry.ShrinkConvex(hull.Select(p => p + offset).ToArray(), featherSigma * 3f);
            pathBuilder.MoveTo(eroded[0]);
            foreach (var point in eroded.Skip(1))
            {
                pathBuilder.LineTo(point);
            }

            pathBuilder.Close();
            using var path = pathBuilder.Detach();
            canvas.DrawPath(path, paint);
        }

        // A subset shares the target's pixel memory: writing into it writes into the target.
        using var targetRegion = new SKBitmap();
        if (!target.ExtractSubset(targetRegion, region))
        {
            return SKRectI.Empty;
        }

        using var targetRegionImage = SKImage.FromPixels(targetRegion.PeekPixels());
        using var warpedImage = SKImage.FromPixels(warped.PeekPixels());

        // Both blurs are taken over the warped face's coverage only, so the difference compares like with like at the hull edge.
        using var blurredWarped = BlurOf(warpedImage, null, info, colourSigma);
        using var blurredTarget = BlurOf(targetRegionImage, warpedImage, info, colourSigma);

        var targetPixels = targetRegion.GetPixelSpan();
        var warpedPixels = warped.GetPixelSpan();
        var maskPixels = mask.GetPixelSpan();
        var blurredWarpedPixels = blurredWarped.GetPixelSpan();
        var blurredTargetPixels = blurredTarget.GetPixelSpan();
        // Row strides read once: SKBitmap.RowBytes is a native call.
        var targetRowBytes = targetRegion.RowBytes;
        var maskRowBytes = mask.RowBytes;
        var rowBytes = info.RowBytes;
        for (var y = 0; y < region.Height; y++)
        {
            for (var x = 0; x < region.Width; x++)
            {
                var m = maskPixels[y * maskRowBytes + x];
                var i = y * rowBytes + x * 4;
                var coverage = warpedPixels[i + 3];
                if (m == 0 || coverage == 0)
                {
                    continue;
                }

                var alpha = m * coverage / (255f * 255f);
                var t = y * targetRowBytes + x * 4;
                var targetAlpha = targetPixels[t + 3];
                for (var c = 0; c < 3; c++)
                {
                    var face = warpedPixels[i + c] * 255f / coverage;
                    // Difference of local means: the face keeps its detail and takes the target's light and skin tone. The ratio of
                    // the same blurs (the classic recipe) burnt highlights to white when the faces differed ~2x in brightness.
                    var corrected = Math.Clamp(face + blurredTargetPixels[i + c] - blurredWarpedPixels[i + c], 0f, 255f) * targetAlpha / 255f;
                    targetPixels[t + c] = (byte)MathF.Round(targetPixels[t + c] * (1 - alpha) + corrected * alpha);
                }
            }
        }

        target.NotifyPixelsChanged();
        return region;
    }

    private static SKBitmap BlurOf(SKImage image, SKImage? coverage, SKImageInfo info, float sigma)
    {
        using var masked = new SKBitmap(info);
        using (var canvas = new SKCanvas(masked))
        {
            canvas.Clear(SKColors.Transparent);
            canvas.DrawImage(image, 0, 0, SKSamplingOptions.Default, null);
            if (coverage is not null)
            {
                using var keepCovered = new SKPaint { BlendMode = SKBlendMode.DstIn };
                canvas.DrawImage(coverage, 0, 0, SKSamplingOptions.Default, keepCovered);
            }
        }

        // The colour blur is wide (a fraction of the eye distance); blurring a reduced copy and scaling it back up
        // gives the same low-frequency image for a fraction of the cost on large faces.
        var reduction = MathF.Min(1f, 4f / sigma);
        var small = new SKImageInfo(Math.Max(1, (int)MathF.Ceiling(info.Width * reduction)), Math.Max(1, (int)MathF.Ceiling(info.Height * reduction)), info.ColorType, info.AlphaType);
        using var reduced = new SKBitmap(small);
        using (var canvas = new SKCanvas(reduced))
        // Image filters work in local coordinates: the canvas scale below turns this sigma into sigma * reduction pixels.
        using (var filter = SKImageFilter.CreateBlur(sigma, sigma, SKShaderTileMode.Decal))
        using (var paint = new SKPaint { ImageFilter = filter })
        using (var maskedImage = SKImage.FromPixels(masked.PeekPixels()))
        {
            canvas.Clear(SKColors.Transparent);
            canvas.Scale((float)small.Width / info.Width, (float)small.Height / info.Height);
            canvas.DrawImage(maskedImage, 0, 0, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear), paint);
        }

        var blurred = new SKBitmap(info);
        using (var canvas = new SKCanvas(blurred))
        using (var reducedImage = SKImage.FromPixels(reduced.PeekPixels()))
        {
            canvas.Clear(SKColors.Transparent);
            canvas.DrawImage(reducedImage, SKRect.Create(0, 0, info.Width, info.Height), new SKSamplingOptions(SKFilterMode.Linear));
        }

        return blurred;
    }

    private static SKPoint Mean(SKPoint[] points, int from, int to)
    {
        float x = 0, y = 0;
        for (var i = from; i < to; i++)
        {
            x += points[i].X;
            y += points[i].Y;
        }

        return new SKPoint(x / (to - from), y / (to - from));
    }
}
