using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace FaceSwap.Tests.BotApi;

/// <summary>
/// Writes PNGs row by row, in the layouts Skia's encoder cannot make (palette, 1-16 bits, transparency keys, Adam7
/// interlacing) and at sizes a test should not hold decoded (a 6300x6300 gradient is written from one row).
/// Rows are stored unfiltered (filter type 0); Skia-encoded photos cover the other filters.
/// </summary>
internal static class ImageIntakePngWriter
{
    public const int Rgb = 2;
    public const int Palette = 3;
    public const int Grey = 0;

    private static readonly uint[] CrcTable = MakeCrcTable();

    /// <param name="fillRow">Fills row y's packed samples (no filter byte), e.g. 3 bytes a pixel for 8-bit RGB.</param>
    /// <param name="interlaced">Adam7; only for 8-bit layouts (whole bytes per pixel).</param>
    public static byte[] Write(int width, int height, int colourType, int bitDepth, Action<int, Span<byte>> fillRow,
        bool interlaced = false, byte[]? palette = null, byte[]? transparency = null)
    {
        var channels = colourType switch { 2 => 3, 4 => 2, 6 => 4, _ => 1 };
        var rowLength = (width * channels * bitDepth + 7) / 8;
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            var row = new byte[rowLength];
            if (!interlaced)
            {
                for (var y = 0; y < height; y++)
                {
                    fillRow(y, row);
                    zlib.WriteByte(0);
                    zlib.Write(row);
                }
            }
            else
            {
                WriteAdam7Passes(zlib, width, height, channels * bitDepth / 8, fillRow, row);
            }
        }

        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = (byte)bitDepth;
        header[9] = (byte)colourType;
        header[12] = interlaced ? (byte)1 : (byte)0;
        Chunk(png, "IHDR", header);
        if (palette is not null)
        {
            Chunk(png, "PLTE", palette);
        }

        if (transparency is not null)
        {
            Chunk(png, "tRNS", transparency);
        }

        // Several IDAT chunks, as encoders write them: the reader must join them.
        var data = compressed.ToArray();
        for (var offset = 0; offset < data.Length; offset += 65_536)
        {
            Chunk(png, "IDAT", data.AsSpan(offset, Math.Min(65_536, data.Length - offset)));
        }

        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>8-bit RGB rows of a colour function.</summary>
    public static Action<int, Span<byte>> RgbRows(int width, Func<int, int, (byte R, byte G, byte B)> colour) => (y, row) =>
    {
        for (var x = 0; x < width; x++)
        {
            (row[x * 3], row[x * 3 + 1], row[x * 3 + 2]) = colour(x, y);
        }
    };

    private static void WriteAdam7Passes(Stream zlib, int width, int height, int bytesPerPixel, Action<int, Span<byte>> fillRow, byte[] row)
    {
        (int X, int Y, int StepX, int StepY)[] passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];
        foreach (var pass in passes)
        {
            for (var y = pass.Y; y < height; y += pass.StepY)
            {
                if (pass.X >= width)
                {
                    break;
                }

                fillRow(y, row);
                zlib.WriteByte(0);
                for (var x = pass.X; x < width; x += pass.StepX)
                {
                    zlib.Write(row, x * bytesPerPixel, bytesPerPixel);
                }
            }
        }
    }

    private static void Chunk(Stream png, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        var crc = Crc(Crc(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(number, crc);
        png.Write(number);
    }

    private static uint Crc(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] MakeCrcTable() =>
        [.. Enumerable.Range(0, 256).Select(n => Enumerable.Range(0, 8).Aggregate((uint)n, (c, _) => (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1))];
}
