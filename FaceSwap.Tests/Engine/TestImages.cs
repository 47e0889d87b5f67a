using System.Buffers.Binary;
using SkiaSharp;

namespace FaceSwap.Tests.Engine;

/// <summary>The committed test photos, and the bad inputs made from them on the fly.</summary>
internal static class TestImages
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "engine", name);

    public static byte[] Read(string name) => File.ReadAllBytes(PathOf(name));

    public static byte[] Astronaut => Read("astronaut.png");
    public static byte[] GraceHopper => Read("grace_hopper.jpg");
    public static byte[] Coffee => Read("coffee.png");
    public static byte[] Chelsea => Read("chelsea.png");

    public static SKBitmap Decode(byte[] encoded) => SKBitmap.Decode(encoded) ?? throw new InvalidOperationException("test image did not decode");

    public static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format, int quality = 95)
    {
        using var data = bitmap.Encode(format, quality);
        return data.ToArray();
    }

    public static byte[] Transform(byte[] encoded, int width, int height, Action<SKCanvas, SKImage> draw, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        using var source = SKImage.FromEncodedData(encoded);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            draw(canvas, source);
        }

        return Encode(bitmap, format);
    }

    public static byte[] Scaled(byte[] encoded, float factor, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        using var probe = SKImage.FromEncodedData(encoded);
        var width = (int)(probe.Width * factor);
        var height = (int)(probe.Height * factor);
        return Transform(encoded, width, height,
            (canvas, image) => canvas.DrawImage(image, SKRect.Create(0, 0, width, height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear)),
            format);
    }

    /// <summary>The photo turned by <paramref name="degrees"/> about its centre, on a canvas large enough to hold it (corners grey).</summary>
    public static byte[] Rotated(byte[] encoded, float degrees)
    {
        using var probe = SKImage.FromEncodedData(encoded);
        var radians = degrees * MathF.PI / 180f;
        var width = (int)MathF.Ceiling(probe.Width * MathF.Abs(MathF.Cos(radians)) + probe.Height * MathF.Abs(MathF.Sin(radians)));
        var height = (int)MathF.Ceiling(probe.Width * MathF.Abs(MathF.Sin(radians)) + probe.Height * MathF.Abs(MathF.Cos(radians)));
        return Transform(encoded, width, height, (canvas, image) =>
        {
            canvas.Clear(SKColors.Gray);
            canvas.Translate(width / 2f, height / 2f);
            canvas.RotateDegrees(degrees);
            canvas.DrawImage(image, -image.Width / 2f, -image.Height / 2f, new SKSamplingOptions(SKFilterMode.Linear));
        });
    }

    /// <summary>The photo with each channel scaled (a colour cast).</summary>
    public static byte[] Tinted(byte[] encoded, float red, float green, float blue)
    {
        using var bitmap = Decode(encoded);
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                bitmap.SetPixel(x, y, new SKColor(Scale(c.Red, red), Scale(c.Green, green), Scale(c.Blue, blue)));
            }
        }

        return Encode(bitmap, SKEncodedImageFormat.Png);

        static byte Scale(byte value, float factor) => (byte)Math.Clamp(value * factor, 0, 255);
    }

    /// <summary>Two faces side by side on one canvas (left: astronaut, right: Grace Hopper).</summary>
    public static byte[] TwoFaces()
    {
        using var left = SKImage.FromEncodedData(Astronaut);
        using var right = SKImage.FromEncodedData(GraceHopper);
        using var bitmap = new SKBitmap(new SKImageInfo(left.Width + right.Width, Math.Max(left.Height, right.Height), SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Gray);
            canvas.DrawImage(left, 0, 0, SKSamplingOptions.Default, null);
            canvas.DrawImage(right, left.Width, 0, SKSamplingOptions.Default, null);
        }

        return Encode(bitmap, SKEncodedImageFormat.Png);
    }

    public static byte[] Greyscale(byte[] encoded)
    {
        using var colour = Decode(encoded);
        using var grey = new SKBitmap(new SKImageInfo(colour.Width, colour.Height, SKColorType.Gray8, SKAlphaType.Opaque));
        for (var y = 0; y < colour.Height; y++)
        {
            for (var x = 0; x < colour.Width; x++)
            {
                var c = colour.GetPixel(x, y);
                grey.SetPixel(x, y, new SKColor((byte)((c.Red + c.Green + c.Blue) / 3), (byte)((c.Red + c.Green + c.Blue) / 3), (byte)((c.Red + c.Green + c.Blue) / 3)));
            }
        }

        return Encode(grey, SKEncodedImageFormat.Png);
    }

    /// <summary>A PNG whose left quarter is fully transparent and the rest opaque.</summary>
    public static byte[] WithTransparentStrip(byte[] encoded)
    {
        using var source = Decode(encoded);
        using var bitmap = new SKBitmap(new SKImageInfo(source.Width, source.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (var y = 0; y < source.Height; y++)
        {
            for (var x = 0; x < source.Width; x++)
            {
                var c = source.GetPixel(x, y);
                bitmap.SetPixel(x, y, x < source.Width / 4 ? c.WithAlpha(0) : c);
            }
        }

        return Encode(bitmap, SKEncodedImageFormat.Png);
    }

    /// <summary>
    /// A JPEG stored sideways (rotated a quarter turn counter-clockwise) with EXIF orientation 6, which tells viewers to
    /// turn it a quarter turn clockwise: shown upright, it is the original photo. It also carries a GPS-like ASCII tag.
    /// </summary>
    public static byte[] SidewaysWithExifOrientation(byte[] encoded)
    {
        using var upright = SKImage.FromEncodedData(encoded);
        using var stored = new SKBitmap(new SKImageInfo(upright.Height, upright.Width, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(stored))
        {
            canvas.Translate(0, upright.Width);
            canvas.RotateDegrees(-90);
            canvas.DrawImage(upright, 0, 0, SKSamplingOptions.Default, null);
        }

        var jpeg = Encode(stored, SKEncodedImageFormat.Jpeg, 95);
        return InsertExif(jpeg, orientation: 6, secret: "GPS 52.5200N 13.4050E");
    }

    public const string ExifMarkerText = "GPS 52.5200N 13.4050E";

    /// <summary>Puts an APP1 Exif segment (big-endian TIFF, IFD0 with Orientation and ImageDescription) right after SOI.</summary>
    public static byte[] InsertExif(byte[] jpeg, ushort orientation, string secret)
    {
        var text = System.Text.Encoding.ASCII.GetBytes(secret + "\0");
        using var tiff = new MemoryStream();
        void U16(int v) { Span<byte> b = stackalloc byte[2]; BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)v); tiff.Write(b); }
        void U32(int v) { Span<byte> b = stackalloc byte[4]; BinaryPrimitives.WriteUInt32BigEndian(b, (uint)v); tiff.Write(b); }
        tiff.Write("MM"u8); U16(42); U32(8);
        U16(2);
        U16(0x010E); U16(2); U32(text.Length); U32(8 + 2 + 2 * 12 + 4); // ImageDescription, ASCII, stored after the IFD
        U16(0x0112); U16(3); U32(1); U16(orientation); U16(0);          // Orientation, SHORT
        U32(0);
        tiff.Write(text);

        var payload = "Exif\0\0"u8.ToArray().Concat(tiff.ToArray()).ToArray();
        var segment = new byte[4 + payload.Length];
        segment[0] = 0xFF; segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(payload.Length + 2));
        payload.CopyTo(segment, 4);
        return jpeg[..2].Concat(segment).Concat(jpeg[2..]).ToArray();
    }

    /// <summary>A valid PNG header (signature + IHDR) claiming the given size, followed by a tiny IDAT and IEND.</summary>
    public static byte[] PngHeaderClaiming(int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; ihdr[9] = 2; // 8-bit RGB
        WriteChunk(png, "IHDR", ihdr);
        WriteChunk(png, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        stream.Write(number);
        var typeAndData = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        stream.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typeAndData));
        stream.Write(number);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
