namespace FaceSwap.Processor.Engines.Local;

/// <summary>
/// Blurs of float planes: three box passes per axis approximate a Gaussian at a cost independent of its width.
/// Hand-written because SkiaSharp blurs 8-bit images only, and the band blend and detail measure need the float values.
/// </summary>
public static class PlaneBlur
{
    /// <summary>An approximate Gaussian blur of <paramref name="sigma"/> pixels, edges clamped.</summary>
    public static float[] Gaussian(ReadOnlySpan<float> plane, int width, int height, float sigma)
    {
        var result = plane.ToArray();
        if (sigma < 0.5f)
        {
            return result;
        }

        // Three boxes of width w have variance 3 (w^2 - 1) / 12 = sigma^2.
        var radius = Math.Max(1, (int)MathF.Round((MathF.Sqrt(4f * sigma * sigma + 1f) - 1f) / 2f));
        var scratch = new float[width];
        var line = new float[width];
        var columns = new ColumnBox(width, height, radius);
        for (var pass = 0; pass < 3; pass++)
        {
            for (var y = 0; y < height; y++)
            {
                var row = result.AsSpan(y * width, width);
                row.CopyTo(line);
                Box(line, scratch, radius);
                scratch.CopyTo(row);
            }

            columns.Apply(result);
        }

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
    /// The vertical box pass done a whole row at a time (a running sum per column), so memory is read in order and the
    /// adds vectorise; walking each column down the image was most of the blur's time.
    /// </summary>
    private sealed class ColumnBox(int width, int height, int radius)
    {
        private readonly float[] sum = new float[width];
        private readonly float[] output = new float[width * height];

        public void Apply(float[] plane)
        {
            var total = sum.AsSpan();
            total.Clear();
            for (var i = -radius; i <= radius; i++)
            {
                Add(total, Row(plane, Math.Clamp(i, 0, height - 1)), 1f);
            }

            var scale = 1f / (2 * radius + 1);
            for (var y = 0; y < height; y++)
            {
                var target = output.AsSpan(y * width, width);
                for (var x = 0; x < width; x++)
                {
                    target[x] = total[x] * scale;
                }

                Add(total, Row(plane, Math.Min(height - 1, y + radius + 1)), 1f);
                Add(total, Row(plane, Math.Max(0, y - radius)), -1f);
            }

            output.CopyTo(plane, 0);
        }

        private ReadOnlySpan<float> Row(float[] plane, int y) => plane.AsSpan(y * width, width);

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
