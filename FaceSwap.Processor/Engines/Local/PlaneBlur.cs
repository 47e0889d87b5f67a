namespace FaceSwap.Processor.Engines.Local;

/// <summary>
/// Blurs of float planes: three box passes per axis approximate a Gaussian at a cost independent of its width.
/// Hand-written because SkiaSharp blurs 8-bit images only, and the band blend and detail measure need the float values.
/// </summary>
public static class PlaneBlur
{
    /// <summary>
    /// From this sigma on, the blur is taken on a plane reduced by an integer factor (sigma / this, at most
    /// <see cref="MaxReduction"/>) and scaled back up: the reduced blur is still at least this many of its pixels wide, so
    /// the result differs from the full-size one by well under a grey level, at a sixteenth of the cost on a large face.
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

        // Three boxes of width w have variance 3 (w^2 - 1) / 12 = sigma^2; the radius is rounded, as it always was, and the
        // reduced path below aims at the variance this full-size blur has, so a swap looks the same whichever path it takes.
        var radius = Math.Max(1, (int)MathF.Round((MathF.Sqrt(4f * sigma * sigma + 1f) - 1f) / 2f));
        var factor = Math.Min(MaxReduction, (int)(sigma / ReducedSigma));
        if (factor >= 2 && width >= factor * 4 && height >= factor * 4)
        {
            var fullVariance = 3f * ((2 * radius + 1) * (2 * radius + 1) - 1) / 12f;
            return Reduced(plane, width, height, fullVariance, factor);
        }

        var result = plane.ToArray();
        BoxPasses(result, width, height, [radius, radius, radius]);
        return result;
    }

    /// <summary>
    /// A blur of <paramref name="plane"/> weighted by <paramref name="weight"/> (normalised convolution): the local mean
    /// of the covered pixels only, so a face's low frequencies near its edge are not dragged towards what lies outside.
    /// </summary>
    public static float[] Weighted(ReadOnlySpan<float> plane, ReadOnlySpan<float> weight, int width, int height, float sigma, ReadOnlySpan<float> blurredWeight)
    {
        var product = new float[plane.Length];
        for (var i = 0; i < product.Length; i++)
        {
            product[i] = plane[i] * weight[i];
        }

        var blurred = Gaussian(product, width, height, sigma);
        for (var i = 0; i < blurred.Length; i++)
        {
            blurred[i] = blurredWeight[i] > 1e-3f ? blurred[i] / blurredWeight[i] : plane[i];
        }

        return blurred;
    }

    /// <summary>
    /// Box-averages <paramref name="factor"/> x <paramref name="factor"/> blocks, blurs the small plane so that averaging and
    /// blur together have <paramref name="variance"/> (in full-size pixels squared), and scales back up bilinearly.
    /// </summary>
    private static float[] Reduced(ReadOnlySpan<float> plane, int width, int height, float variance, int factor)
    {
        int smallWidth = (width + factor - 1) / factor, smallHeight = (height + factor - 1) / factor;
        var small = new float[smallWidth * smallHeight];
        var counts = new float[smallWidth];
        for (var sy = 0; sy < smallHeight; sy++)
        {
            var row = small.AsSpan(sy * smallWidth, smallWidth);
            counts.AsSpan().Clear();
            for (var y = sy * factor; y < Math.Min(height, (sy + 1) * factor); y++)
            {
                var source = plane.Slice(y * width, width);
                for (var x = 0; x < width; x++)
                {
                    row[x / factor] += source[x];
                    counts[x / factor]++;
                }
            }

            for (var sx = 0; sx < smallWidth; sx++)
            {
                row[sx] /= counts[sx];
            }
        }

        // The block average is itself a box of width factor: (factor^2 - 1) / 12 of the variance is already spent.
        var smallSigma = MathF.Sqrt(MathF.Max(0.25f, variance - (factor * factor - 1) / 12f)) / factor;
        BoxPasses(small, smallWidth, smallHeight, BoxRadii(smallSigma));

        var result = new float[plane.Length];
        var (left, right, across) = Taps(width, smallWidth, factor);
        for (var y = 0; y < height; y++)
        {
            var v = Math.Clamp((y + 0.5f) / factor - 0.5f, 0f, smallHeight - 1);
            var top = Math.Min((int)v, smallHeight - 1);
            var bottom = Math.Min(top + 1, smallHeight - 1);
            var down = v - top;
            var upper = small.AsSpan(top * smallWidth, smallWidth);
            var lower = small.AsSpan(bottom * smallWidth, smallWidth);
            var target = result.AsSpan(y * width, width);
            for (var x = 0; x < width; x++)
            {
                var a = upper[left[x]] + (upper[right[x]] - upper[left[x]]) * across[x];
                var b = lower[left[x]] + (lower[right[x]] - lower[left[x]]) * across[x];
                target[x] = a + (b - a) * down;
            }
        }

        return result;
    }

    /// <summary>Per full-size column, the two reduced columns it lies between and how far across.</summary>
    private static (int[] Left, int[] Right, float[] Across) Taps(int width, int smallWidth, int factor)
    {
        var left = new int[width];
        var right = new int[width];
        var across = new float[width];
        for (var x = 0; x < width; x++)
        {
            var u = Math.Clamp((x + 0.5f) / factor - 0.5f, 0f, smallWidth - 1);
            left[x] = Math.Min((int)u, smallWidth - 1);
            right[x] = Math.Min(left[x] + 1, smallWidth - 1);
            across[x] = u - left[x];
        }

        return (left, right, across);
    }

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
