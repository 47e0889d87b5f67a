namespace FaceSwap.Processor.Engines.Local;

/// <summary>
/// A float plane averaged over square blocks of <see cref="Factor"/> pixels, for blurs many pixels wide: blurring it costs
/// a factor squared less, and scaled back up bilinearly it differs from the full-size blur by well under a grey level.
/// Values are read back a row at a time (<see cref="ExpandRow"/>), so a caller that needs only some pixels of the blur
/// never holds a full-size copy.
/// </summary>
internal sealed class ReducedPlane
{
    private readonly int[] left;
    private readonly int[] right;
    private readonly float[] across;

    private ReducedPlane(float[] values, int width, int height, int factor, int fullWidth, int fullHeight)
    {
        Values = values;
        Width = width;
        Height = height;
        Factor = factor;
        FullWidth = fullWidth;
        FullHeight = fullHeight;
        // Per full-size column, the two reduced columns it lies between and how far across: the same for every row.
        left = new int[fullWidth];
        right = new int[fullWidth];
        across = new float[fullWidth];
        for (var x = 0; x < fullWidth; x++)
        {
            var u = Math.Clamp((x + 0.5f) / factor - 0.5f, 0f, width - 1);
            left[x] = Math.Min((int)u, width - 1);
            right[x] = Math.Min(left[x] + 1, width - 1);
            across[x] = u - left[x];
        }
    }

    public float[] Values { get; }
    public int Width { get; }
    public int Height { get; }
    public int Factor { get; }
    public int FullWidth { get; }
    public int FullHeight { get; }

    /// <summary>The mean of each <paramref name="factor"/> x <paramref name="factor"/> block (of the pixels inside the plane, at its edges).</summary>
    public static ReducedPlane Average(ReadOnlySpan<float> plane, int width, int height, int factor)
    {
        if (factor == 1)
        {
            return new ReducedPlane(plane.ToArray(), width, height, 1, width, height);
        }

        var small = new float[SmallSize(width, factor) * SmallSize(height, factor)];
        for (var y = 0; y < height; y++)
        {
            AddRow(small, plane.Slice(y * width, width), y, factor);
        }

        return Averaged(small, width, height, factor);
    }

    /// <summary>
    /// The same mean of a plane that is never held whole: <paramref name="fillRow"/> writes row y of it into the span it is
    /// given, one row at a time, in order.
    /// </summary>
    public static ReducedPlane Average(int width, int height, int factor, Action<int, Span<float>> fillRow)
    {
        if (factor == 1)
        {
            var whole = new float[width * height];
            for (var y = 0; y < height; y++)
            {
                fillRow(y, whole.AsSpan(y * width, width));
            }

            return new ReducedPlane(whole, width, height, 1, width, height);
        }

        var small = new float[SmallSize(width, factor) * SmallSize(height, factor)];
        var line = new float[width];
        for (var y = 0; y < height; y++)
        {
            fillRow(y, line);
            AddRow(small, line, y, factor);
        }

        return Averaged(small, width, height, factor);
    }

    private static int SmallSize(int size, int factor) => (size + factor - 1) / factor;

    /// <summary>Adds row <paramref name="y"/> of the full-size plane to the sums of the blocks it falls in.</summary>
    private static void AddRow(float[] small, ReadOnlySpan<float> source, int y, int factor)
    {
        int width = source.Length, smallWidth = SmallSize(width, factor);
        var row = small.AsSpan(y / factor * smallWidth, smallWidth);
        for (var sx = 0; sx < smallWidth; sx++)
        {
            var sum = 0f;
            for (var x = sx * factor; x < Math.Min(width, (sx + 1) * factor); x++)
            {
                sum += source[x];
            }

            row[sx] += sum;
        }
    }

    /// <summary>Turns the blocks' sums into means (blocks at the right and bottom edges may hold fewer pixels).</summary>
    private static ReducedPlane Averaged(float[] small, int width, int height, int factor)
    {
        int smallWidth = SmallSize(width, factor), smallHeight = SmallSize(height, factor);
        for (var sy = 0; sy < smallHeight; sy++)
        {
            var row = small.AsSpan(sy * smallWidth, smallWidth);
            var rows = Math.Min(height, (sy + 1) * factor) - sy * factor;
            for (var sx = 0; sx < smallWidth; sx++)
            {
                row[sx] /= rows * (Math.Min(width, (sx + 1) * factor) - sx * factor);
            }
        }

        return new ReducedPlane(small, smallWidth, smallHeight, factor, width, height);
    }

    /// <summary>Blurs the reduced values in place so that, read back, they are the full-size plane's blur of <paramref name="sigma"/>.</summary>
    public void Blur(float sigma) => PlaneBlur.BlurReduced(Values, Width, Height, sigma, Factor);

    /// <summary>Row <paramref name="y"/> of the full-size plane, read bilinearly between the blocks' centres.</summary>
    public void ExpandRow(int y, Span<float> row)
    {
        var v = Math.Clamp((y + 0.5f) / Factor - 0.5f, 0f, Height - 1);
        var top = Math.Min((int)v, Height - 1);
        var bottom = Math.Min(top + 1, Height - 1);
        var down = v - top;
        var upper = Values.AsSpan(top * Width, Width);
        var lower = Values.AsSpan(bottom * Width, Width);
        for (var x = 0; x < row.Length; x++)
        {
            var a = upper[left[x]] + (upper[right[x]] - upper[left[x]]) * across[x];
            var b = lower[left[x]] + (lower[right[x]] - lower[left[x]]) * across[x];
            row[x] = a + (b - a) * down;
        }
    }

    /// <summary>The whole full-size plane.</summary>
    public float[] Expand()
    {
        var result = new float[FullWidth * FullHeight];
        ParallelRows.For(FullWidth, FullHeight, (first, end) =>
        {
            for (var y = first; y < end; y++)
            {
                ExpandRow(y, result.AsSpan(y * FullWidth, FullWidth));
            }
        });
        return result;
    }
}
