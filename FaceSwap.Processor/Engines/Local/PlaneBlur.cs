namespace FaceSwap.Processor.Engines.Local;

/// <summary>
/// Blurs of float planes: three box passes per axis approximate a Gaussian at a cost independent of its width.
/// Hand-written because SkiaSharp blurs 8-bit images only, and the band blend and detail measure need the float values.
/// </summary>
public static class PlaneBlur
{
    /// <summary>
    /// A blur of sigma 8 or more is taken on a plane reduced by sigma / this (whole, 2 to <see cref="MaxReduction"/>;
    /// <see cref="ReducedPlane"/>): the reduced blur is still at least this many of its pixels wide, so the result differs
    /// from the full-size one by a level or less, at up to a sixteenth of the cost on a large face.
    /// </summary>
    private const float ReducedSigma = 4f;

    private const int MaxReduction = 4;

    /// <summary>An approximate Gaussian blur of <paramref name="sigma"/> pixels, edges clamped.</summary>
    public static float[] Gaussian(ReadOnlySpan<float> plane, int width, int height, float sigma)
    {
        if (sigma < 0.5f)
        {
            return plane.ToArray();
        }

        var factor = ReductionFor(sigma, width, height);
        if (factor > 1)
        {
            var reduced = ReducedPlane.Average(plane, width, height, factor);
            reduced.Blur(sigma);
            return reduced.Expand();
        }

        var result = plane.ToArray();
        BlurReduced(result, width, height, sigma, factor: 1);
        return result;
    }

    /// <summary>The reduction a blur of <paramref name="sigma"/> on a plane of this size is taken at (1: full size).</summary>
    public static int ReductionFor(float sigma, int width, int height)
    {
        var factor = Math.Clamp((int)(sigma / ReducedSigma), 1, MaxReduction);
        return width >= factor * 4 && height >= factor * 4 ? factor : 1;
    }

    /// <summary>
    /// Blurs a plane reduced by <paramref name="factor"/> in place so that it holds the full-size blur of
    /// <paramref name="sigma"/> at the blocks' centres. At factor 1 this is the full-size blur itself.
    /// </summary>
    internal static void BlurReduced(float[] plane, int width, int height, float sigma, int factor)
    {
        var radius = Radius(sigma);
        if (factor == 1)
        {
            BoxPasses(plane, width, height, [radius, radius, radius]);
            return;
        }

        // The reduced blur aims at the variance the full-size blur's three rounded boxes have, so a swap looks the same
        // whichever path it takes; the block average is itself a box of width factor, (factor^2 - 1) / 12 of it already spent.
        var variance = 3f * ((2 * radius + 1) * (2 * radius + 1) - 1) / 12f;
        var smallSigma = MathF.Sqrt(MathF.Max(0.25f, variance - (factor * factor - 1) / 12f)) / factor;
        BoxPasses(plane, width, height, BoxRadii(smallSigma));
    }

    /// <summary>Three boxes of width w have variance 3 (w^2 - 1) / 12 = sigma^2; the radius is rounded.</summary>
    private static int Radius(float sigma) => Math.Max(1, (int)MathF.Round((MathF.Sqrt(4f * sigma * sigma + 1f) - 1f) / 2f));

    /// <summary>
    /// Three box radii whose variances add up to sigma^2 as closely as whole boxes allow (some passes one size larger than
    /// the others, after Kovesi): on a reduced plane a single rounded radius would be off by up to a fifth of the sigma.
    /// </summary>
    private static int[] BoxRadii(float sigma)
    {
        const int passes = 3;
        var ideal = MathF.Sqrt(12f * sigma * sigma / passes + 1f);
        var lower = (int)MathF.Floor(ideal);
        if (lower % 2 == 0)
        {
            lower--;
        }

        lower = Math.Max(1, lower);
        var upper = lower + 2;
        var smaller = (int)MathF.Round((12f * sigma * sigma - passes * lower * lower - 4f * passes * lower - 3f * passes) / (-4f * lower - 4f));
        var radii = new int[passes];
        for (var pass = 0; pass < passes; pass++)
        {
            radii[pass] = (pass < smaller ? lower : upper) / 2;
        }

        return radii;
    }

    /// <summary>
    /// One horizontal and one vertical box pass per radius, in place. Rows are independent in the first and columns in the
    /// second, so each runs in bands side by side with the same result.
    /// </summary>
    private static void BoxPasses(float[] plane, int width, int height, int[] radii)
    {
        var columns = new float[width * height];
        foreach (var radius in radii)
        {
            if (radius <= 0)
            {
                continue;
            }

            ParallelRows.For(width, height, (first, end) =>
            {
                var scratch = new float[width];
                var line = new float[width];
                for (var y = first; y < end; y++)
                {
                    var row = plane.AsSpan(y * width, width);
                    row.CopyTo(line);
                    Box(line, scratch, radius);
                    scratch.CopyTo(row);
                }
            });

            // Bands of columns: the same split over the other axis.
            ParallelRows.For(height, width, (first, end) => ColumnBox(plane, columns, width, height, radius, first, end));
        }
    }

    /// <summary>
    /// The vertical box pass over columns <paramref name="first"/> to <paramref name="end"/>, done a whole row at a time (a
    /// running sum per column), so memory is read in order and the adds vectorise; walking each column down the image was
    /// most of the blur's time. Only those columns are read and written, so bands of columns can run side by side.
    /// </summary>
    private static void ColumnBox(float[] plane, float[] output, int width, int height, int radius, int first, int end)
    {
        var columns = end - first;
        var total = new float[columns].AsSpan();
        for (var i = -radius; i <= radius; i++)
        {
            Add(total, plane.AsSpan(Math.Clamp(i, 0, height - 1) * width + first, columns), 1f);
        }

        var scale = 1f / (2 * radius + 1);
        for (var y = 0; y < height; y++)
        {
            var target = output.AsSpan(y * width + first, columns);
            for (var x = 0; x < columns; x++)
            {
                target[x] = total[x] * scale;
            }

            Add(total, plane.AsSpan(Math.Min(height - 1, y + radius + 1) * width + first, columns), 1f);
            Add(total, plane.AsSpan(Math.Max(0, y - radius) * width + first, columns), -1f);
        }

        for (var y = 0; y < height; y++)
        {
            output.AsSpan(y * width + first, columns).CopyTo(plane.AsSpan(y * width + first, columns));
        }
    }

    private static void Add(Span<float> total, ReadOnlySpan<float> row, float sign)
    {
        var i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            var size = System.Numerics.Vector<float>.Count;
            for (; i <= total.Length - size; i += size)
            {
                var t = new System.Numerics.Vector<float>(total[i..]);
                var r = new System.Numerics.Vector<float>(row[i..]);
                (t + r * sign).CopyTo(total[i..]);
            }
        }

        for (; i < total.Length; i++)
        {
            total[i] += row[i] * sign;
        }
    }

    private static void Box(ReadOnlySpan<float> input, Span<float> output, int radius)
    {
        var n = input.Length;
        var scale = 1f / (2 * radius + 1);
        var sum = 0f;
        for (var i = -radius; i <= radius; i++)
        {
            sum += input[Math.Clamp(i, 0, n - 1)];
        }

        for (var i = 0; i < n; i++)
        {
            output[i] = sum * scale;
            sum += input[Math.Min(n - 1, i + radius + 1)] - input[Math.Max(0, i - radius)];
        }
    }
}
