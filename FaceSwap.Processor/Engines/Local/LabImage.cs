using SkiaSharp;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>
/// An RGBA region as three float planes of CIELAB (D65), plus its alpha: colour statistics and the band blend are done in
/// Lab because distances and means there follow perceived lightness and hue, so matching them moves skin tone without
/// flattening the face's own shading. Written out here because SkiaSharp has no Lab colour space, and the conversion is
/// a few table look-ups and cube roots per pixel.
/// </summary>
public sealed class LabImage
{
    private static readonly float[] SrgbToLinear = BuildSrgbToLinear();
    private static readonly byte[] LinearToSrgb = BuildLinearToSrgb();
    private const int LinearSteps = 4095;
    private const int CubeRootSteps = 8192;
    private static readonly float[] CubeRoot = BuildCubeRoot();

    // D65 white point.
    private const float Xn = 0.95047f, Zn = 1.08883f;

    public LabImage(int width, int height)
    {
        Width = width;
        Height = height;
        L = new float[width * height];
        A = new float[width * height];
        B = new float[width * height];
        Alpha = new float[width * height];
    }

    public int Width { get; }
    public int Height { get; }
    public float[] L { get; }
    public float[] A { get; }
    public float[] B { get; }

    /// <summary>Coverage 0..1 (the premultiplied alpha of the pixels read).</summary>
    public float[] Alpha { get; }

    /// <summary>
    /// Reads a premultiplied RGBA8888 bitmap in place, in bands of rows on the thread pool (the pixels are independent);
    /// fully transparent pixels get Lab (0, 0, 0).
    /// </summary>
    public static LabImage FromBitmap(SKBitmap bitmap)
    {
        // Native calls, read once.
        int width = bitmap.Width, height = bitmap.Height, rowBytes = bitmap.RowBytes;
        var image = new LabImage(width, height);
        ParallelRows.For(width, height, (first, end) => image.Read(bitmap.GetPixelSpan(), rowBytes, first, end));
        return image;
    }

    private void Read(ReadOnlySpan<byte> pixels, int rowBytes, int firstRow, int endRow)
    {
        var image = this;
        var width = Width;
        for (var y = firstRow; y < endRow; y++)
        {
            var row = pixels.Slice(y * rowBytes, width * 4);
            for (var x = 0; x < width; x++)
            {
                var alpha = row[x * 4 + 3];
                var i = y * width + x;
                image.Alpha[i] = alpha / 255f;
                if (alpha == 0)
                {
                    continue;
                }

                float r, g, b;
                if (alpha == 255)
                {
                    r = SrgbToLinear[row[x * 4]];
                    g = SrgbToLinear[row[x * 4 + 1]];
                    b = SrgbToLinear[row[x * 4 + 2]];
                }
                else
                {
                    r = SrgbToLinear[Math.Min(255, row[x * 4] * 255 / alpha)];
                    g = SrgbToLinear[Math.Min(255, row[x * 4 + 1] * 255 / alpha)];
                    b = SrgbToLinear[Math.Min(255, row[x * 4 + 2] * 255 / alpha)];
                }

                var fx = F((0.4124564f * r + 0.3575761f * g + 0.1804375f * b) / Xn);
                var fy = F(0.2126729f * r + 0.7151522f * g + 0.0721750f * b);
                var fz = F((0.0193339f * r + 0.1191920f * g + 0.9503041f * b) / Zn);
                image.L[i] = 116f * fy - 16f;
                image.A[i] = 500f * (fx - fy);
                image.B[i] = 200f * (fy - fz);
            }
        }
    }

    /// <summary>Converts one Lab colour to opaque sRGB bytes.</summary>
    public static (byte R, byte G, byte B) ToSrgb(float l, float a, float b)
    {
        var fy = (l + 16f) / 116f;
        var fx = fy + a / 500f;
        var fz = fy - b / 200f;
        var x = Xn * FInverse(fx);
        var y = FInverse(fy);
        var z = Zn * FInverse(fz);
        var r = 3.2404542f * x - 1.5371385f * y - 0.4985314f * z;
        var g = -0.9692660f * x + 1.8760108f * y + 0.0415560f * z;
        var bl = 0.0556434f * x - 0.2040259f * y + 1.0572252f * z;
        return (Encode(r), Encode(g), Encode(bl));
    }

    private static byte Encode(float linear) => LinearToSrgb[(int)(Math.Clamp(linear, 0f, 1f) * LinearSteps + 0.5f)];

    /// <summary>CIELAB's f(t) from a table with linear interpolation (error under 1e-4 in f, well below a level of L).</summary>
    private static float F(float t)
    {
        var position = Math.Clamp(t, 0f, 1.2f) * (CubeRootSteps / 1.2f);
        var index = Math.Min((int)position, CubeRootSteps - 1);
        var fraction = position - index;
        return CubeRoot[index] + (CubeRoot[index + 1] - CubeRoot[index]) * fraction;
    }

    private static float FExact(float t) => t > 0.008856452f ? MathF.Cbrt(t) : t / 0.12841855f + 0.13793103f;

    private static float[] BuildCubeRoot()
    {
        var table = new float[CubeRootSteps + 1];
        for (var i = 0; i <= CubeRootSteps; i++)
        {
            table[i] = FExact(i * 1.2f / CubeRootSteps);
        }

        return table;
    }

    private static float FInverse(float t) => t > 0.20689656f ? t * t * t : 0.12841855f * (t - 0.13793103f);

    private static float[] BuildSrgbToLinear()
    {
        var table = new float[256];
        for (var i = 0; i < 256; i++)
        {
            var c = i / 255f;
            table[i] = c <= 0.04045f ? c / 12.92f : MathF.Pow((c + 0.055f) / 1.055f, 2.4f);
        }

        return table;
    }

    private static byte[] BuildLinearToSrgb()
    {
        var table = new byte[LinearSteps + 1];
        for (var i = 0; i <= LinearSteps; i++)
        {
            var c = i / (float)LinearSteps;
            var s = c <= 0.0031308f ? c * 12.92f : 1.055f * MathF.Pow(c, 1f / 2.4f) - 0.055f;
            table[i] = (byte)Math.Clamp((int)MathF.Round(s * 255f), 0, 255);
        }

        return table;
    }
}
