using System.Runtime.CompilerServices;
using System.Numerics;
using SkiaSharp;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>
/// dlib's ensemble-of-regression-trees landmark model (Kazemi and Sullivan 2014), read and run in C#.
/// Hand-written because no managed dlib exists and the native one would add a library the default .NET runtime
/// image lacks. It follows dlib 19.24's shape_predictor.h and serialize.h; the model file is read from a stream
/// so no 100 MB temporary array is needed. Immutable after loading, so one instance serves all threads.
/// </summary>
public sealed class DlibShapePredictor
{
    private readonly float[] initialShape;
    private readonly Level[] levels;

    private DlibShapePredictor(float[] initialShape, Level[] levels)
    {
        this.initialShape = initialShape;
        this.levels = levels;
    }

    public int PointCount => initialShape.Length / 2;

    /// <summary>The mean shape in the unit box (x, y pairs), used to fit a box to landmarks.</summary>
    public ReadOnlySpan<float> MeanShape => initialShape;

    // Runs once per process over 100 MB: compiled fully optimised at once rather than starting in tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static DlibShapePredictor Load(Stream stream)
    {
        var reader = new DlibReader(stream);
        var version = reader.ReadInt();
        if (version != 1)
        {
            throw new InvalidDataException($"unsupported shape_predictor version {version}, expected 1");
        }

        var initialShape = reader.ReadColumnVector();
        var pointCount = initialShape.Length / 2;

        var levelCount = checked((int)reader.ReadInt());
        var trees = new (int[] Splits, float[] Thresholds, float[] Leaves, int TreeCount, int SplitCount, int LeafCount)[levelCount];
        for (var level = 0; level < levelCount; level++)
        {
            var treeCount = checked((int)reader.ReadInt());
            int[]? splits = null;
            float[]? thresholds = null;
            float[]? leaves = null;
            int splitCount = 0, leafCount = 0;
            for (var tree = 0; tree < treeCount; tree++)
            {
                var thisSplitCount = checked((int)reader.ReadInt());
                if (splits is null)
                {
                    splitCount = thisSplitCount;
                    leafCount = splitCount + 1;
                    splits = new int[treeCount * splitCount * 2];
                    thresholds = new float[treeCount * splitCount];
                    leaves = new float[(long)treeCount * leafCount * initialShape.Length];
                }
                else if (thisSplitCount != splitCount)
                {
                    throw new InvalidDataException("trees of different depths are not supported");
                }

                for (var s = 0; s < splitCount; s++)
                {
                    splits[(tree * splitCount + s) * 2] = checked((int)reader.ReadInt());
                    splits[(tree * splitCount + s) * 2 + 1] = checked((int)reader.ReadInt());
                    thresholds![tree * splitCount + s] = reader.ReadFloat();
                }

                var thisLeafCount = checked((int)reader.ReadInt());
                if (thisLeafCount != leafCount)
                {
                    throw new InvalidDataException($"expected {leafCount} leaves, found {thisLeafCount}");
                }

                for (var leaf = 0; leaf < leafCount; leaf++)
                {
                    reader.ReadColumnVector(leaves.AsSpan(((tree * leafCount) + leaf) * initialShape.Length, initialShape.Length));
                }
            }

            trees[level] = (splits ?? [], thresholds ?? [], leaves ?? [], treeCount, splitCount, leafCount);
        }

        var anchorLevels = checked((int)reader.ReadInt());
        var anchors = new int[anchorLevels][];
        for (var level = 0; level < anchorLevels; level++)
        {
            var count = checked((int)reader.ReadInt());
            anchors[level] = new int[count];
            for (var i = 0; i < count; i++)
            {
                anchors[level][i] = checked((int)reader.ReadInt());
                if (anchors[level][i] >= pointCount)
                {
                    throw new InvalidDataException("anchor index out of range");
                }
            }
        }

        var deltaLevels = checked((int)reader.ReadInt());
        var deltas = new float[deltaLevels][];
        for (var level = 0; level < deltaLevels; level++)
        {
            var count = checked((int)reader.ReadInt());
            deltas[level] = new float[count * 2];
            for (var i = 0; i < count; i++)
            {
                deltas[level][i * 2] = reader.ReadFloat();
                deltas[level][i * 2 + 1] = reader.ReadFloat();
            }
        }

        if (anchorLevels != levelCount || deltaLevels != levelCount)
        {
            throw new InvalidDataException("the model's cascade levels disagree");
        }

        var built = new Level[levelCount];
        for (var level = 0; level < levelCount; level++)
        {
            var t = trees[level];
            var featureCount = anchors[level].Length;
            foreach (var index in t.Splits)
            {
                if (index >= featureCount)
                {
                    throw new InvalidDataException("split feature index out of range");
                }
            }

            built[level] = new Level(t.Splits, t.Thresholds, t.Leaves, t.TreeCount, t.SplitCount, t.LeafCount, anchors[level], deltas[level]);
        }

        return new DlibShapePredictor(initialShape, built);
    }

    /// <summary>Predicts the landmarks of the face in <paramref name="box"/> (dlib's integer rectangle semantics).</summary>
    /// <remarks>
    /// Grey values are read straight from the RGBA pixels where the model samples them, (r + g + b) / 3 as dlib's
    /// get_pixel_intensity computes it: a whole grey plane of a 4 MP photo would cost more than the prediction.
    /// </remarks>
    public SKPoint[] Predict(RgbaPixels pixels, SKRectI box)
    {
        var width = pixels.Width;
        var height = pixels.Height;
        var shape = (float[])initialShape.Clone();
        var pointCount = PointCount;
        // dlib's unnormalizing_tform maps the unit box onto tl/tr/br corners, where right = left + width - 1.
        float boxLeft = box.Left, boxTop = box.Top;
        float boxWidth = box.Right - box.Left, boxHeight = box.Bottom - box.Top;

        float[]? features = null;
        foreach (var level in levels)
        {
            if (features is null || features.Length != level.Anchors.Length)
            {
                features = new float[level.Anchors.Length];
            }

            var (a, b) = SimilarityFromMeanShape(initialShape, shape);
            for (var i = 0; i < level.Anchors.Length; i++)
            {
                var dx = level.Deltas[i * 2];
                var dy = level.Deltas[i * 2 + 1];
                var anchor = level.Anchors[i];
                var ux = a * dx - b * dy + shape[anchor * 2];
                var uy = b * dx + a * dy + shape[anchor * 2 + 1];
                var x = (long)Math.Floor(boxLeft + ux * boxWidth + 0.5);
                var y = (long)Math.Floor(boxTop + uy * boxHeight + 0.5);
                features[i] = x >= 0 && y >= 0 && x < width && y < height ? pixels.Grey((int)x, (int)y) : 0f;
            }

            var shapeLength = shape.Length;
            for (var tree = 0; tree < level.TreeCount; tree++)
            {
                var splitBase = tree * level.SplitCount;
                var node = 0;
                while (node < level.SplitCount)
                {
                    var split = (splitBase + node) * 2;
                    node = features[level.Splits[split]] - features[level.Splits[split + 1]] > level.Thresholds[splitBase + node]
                        ? 2 * node + 1
                        : 2 * node + 2;
                }

                AddInPlace(shape, level.Leaves.AsSpan(((tree * level.LeafCount) + node - level.SplitCount) * shapeLength, shapeLength));
            }
        }

        var points = new SKPoint[pointCount];
        for (var i = 0; i < pointCount; i++)
        {
            points[i] = new SKPoint(boxLeft + shape[i * 2] * boxWidth, boxTop + shape[i * 2 + 1] * boxHeight);
        }

        return points;
    }

    /// <summary>Adds a leaf's 136 offsets to the shape; 7,500 of these per prediction make SIMD worth it.</summary>
    private static void AddInPlace(Span<float> shape, ReadOnlySpan<float> leaf)
    {
        var k = 0;
        for (; k <= shape.Length - Vector<float>.Count; k += Vector<float>.Count)
        {
            (new Vector<float>(shape[k..]) + new Vector<float>(leaf[k..])).CopyTo(shape[k..]);
        }

        for (; k < shape.Length; k++)
        {
            shape[k] += leaf[k];
        }
    }

    /// <summary>
    /// The rotation-and-scale part [a -b; b a] of the least-squares similarity transform from the mean shape to the
    /// current one (dlib's find_tform_between_shapes uses Umeyama's method, which gives the same transform in 2-D).
    /// </summary>
    private static (float A, float B) SimilarityFromMeanShape(float[] from, float[] to)
    {
        var n = from.Length / 2;
        double meanFromX = 0, meanFromY = 0, meanToX = 0, meanToY = 0;
        for (var i = 0; i < n; i++)
        {
            meanFromX += from[i * 2];
            meanFromY += from[i * 2 + 1];
            meanToX += to[i * 2];
            meanToY += to[i * 2 + 1];
        }

        meanFromX /= n; meanFromY /= n; meanToX /= n; meanToY /= n;
        double dot = 0, cross = 0, norm = 0;
        for (var i = 0; i < n; i++)
        {
            var fx = from[i * 2] - meanFromX;
            var fy = from[i * 2 + 1] - meanFromY;
            var tx = to[i * 2] - meanToX;
            var ty = to[i * 2 + 1] - meanToY;
            dot += fx * tx + fy * ty;
            cross += fx * ty - fy * tx;
            norm += fx * fx + fy * fy;
        }

        return norm == 0 ? (1f, 0f) : ((float)(dot / norm), (float)(cross / norm));
    }

    private sealed record Level(int[] Splits, float[] Thresholds, float[] Leaves, int TreeCount, int SplitCount, int LeafCount, int[] Anchors, float[] Deltas);

    /// <summary>dlib's portable serialisation (serialize.h): variable-length integers and floats as mantissa/exponent.</summary>
    private sealed class DlibReader(Stream stream)
    {
        private readonly byte[] buffer = new byte[1 << 16];
        private int position;
        private int length;

        private byte NextByte()
        {
            if (position == length)
            {
                length = stream.Read(buffer, 0, buffer.Length);
                position = 0;
                if (length == 0)
                {
                    throw new EndOfStreamException("the landmark model file ends early (truncated download?)");
                }
            }

            return buffer[position++];
        }

        /// <summary>One control byte (low nibble = byte count, 0x80 = negative), then the magnitude little-endian.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public long ReadInt()
        {
            // Fast path: the whole integer (at most 9 bytes) is already in the buffer, so no refill checks per byte.
            if (length - position >= 9)
            {
                var head = buffer[position];
                var count = head & 0x0F;
                if ((head & 0x70) == 0 && count <= 8)
                {
                    ulong magnitude = 0;
                    for (var i = 0; i < count; i++)
                    {
                        magnitude |= (ulong)buffer[position + 1 + i] << (8 * i);
                    }

                    position += 1 + count;
                    return (head & 0x80) != 0 ? -(long)magnitude : (long)magnitude;
                }
            }

            var control = NextByte();
            if ((control & 0x70) != 0)
            {
                throw new InvalidDataException("not a dlib binary model (unexpected control byte)");
            }

            var size = control & 0x0F;
            if (size > 8)
            {
                throw new InvalidDataException("integer too long in the model file");
            }

            ulong value = 0;
            for (var i = 0; i < size; i++)
            {
                value |= (ulong)NextByte() << (8 * i);
            }

            return (control & 0x80) != 0 ? -(long)value : (long)value;
        }

        /// <summary>A float is a mantissa and a 16-bit exponent; 32000-32002 encode +inf, -inf and NaN.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public float ReadFloat()
        {
            var mantissa = ReadInt();
            var exponent = ReadInt();
            return exponent switch
            {
                32000 => float.PositiveInfinity,
                32001 => float.NegativeInfinity,
                32002 => float.NaN,
                _ => (float)Math.ScaleB(mantissa, (int)exponent),
            };
        }

        /// <summary>A dlib column matrix: rows and columns (stored negated by current dlib), then the elements.</summary>
        public float[] ReadColumnVector()
        {
            var (rows, columns) = ReadMatrixSize();
            var values = new float[checked(rows * columns)];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = ReadFloat();
            }

            return values;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void ReadColumnVector(Span<float> into)
        {
            var (rows, columns) = ReadMatrixSize();
            if (rows * columns != into.Length)
            {
                throw new InvalidDataException($"expected a vector of {into.Length} values, found {rows}x{columns}");
            }

            for (var i = 0; i < into.Length; i++)
            {
                into[i] = ReadFloat();
            }
        }

        private (int Rows, int Columns) ReadMatrixSize()
        {
            var rows = ReadInt();
            var columns = ReadInt();
            // Current dlib writes negated sizes to mark the format; older files have them positive.
            rows = Math.Abs(rows);
            columns = Math.Abs(columns);
            if (rows * columns > 1_000_000)
            {
                throw new InvalidDataException("matrix too large in the model file");
            }

            return ((int)rows, (int)columns);
        }
    }
}
