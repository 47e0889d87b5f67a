using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace FaceSwap.BotApi.Media;

/// <summary>
/// Rewrites a PNG's chunks: keeps the critical chunks and the ancillary ones that change how pixels look, drops every
/// text and metadata chunk (tEXt, zTXt, iTXt, eXIf, tIME, C2PA's caBX and any chunk nobody here can vouch for) and
/// puts one XMP iTXt chunk right before the first IDAT. The image data is copied byte for byte.
/// </summary>
internal static class PngXmpWriter
{
    public const string XmpKeyword = "XML:com.adobe.xmp";

    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Ancillary chunks that affect rendering (colour, transparency, gamma, density, animation); all others are metadata.</summary>
    private static readonly HashSet<string> RenderingChunks =
        ["tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "sBIT", "bKGD", "pHYs", "hIST", "sPLT", "cICP", "mDCV", "cLLI", "acTL", "fcTL", "fdAT"];

    public static bool IsPng(ReadOnlySpan<byte> data) => data.StartsWith(Signature);

    public static byte[] Write(ReadOnlySpan<byte> png, byte[] xmpPacket)
    {
        using var output = new MemoryStream(png.Length + xmpPacket.Length + 64);
        output.Write(Signature);
        var position = Signature.Length;
        var xmpWritten = false;
        var first = true;
        while (true)
        {
            if (position + 12 > png.Length)
            {
                throw new FormatException("The PNG ends before its IEND chunk.");
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(png[position..]);
            if (length > int.MaxValue || position + 12 + (long)length > png.Length)
            {
                throw new FormatException("A PNG chunk runs past the end of the file.");
            }

            var chunkEnd = position + 12 + (int)length;
            var type = Encoding.ASCII.GetString(png.Slice(position + 4, 4));
            if (first && type != "IHDR")
            {
                throw new FormatException("The PNG does not start with IHDR.");
            }

            first = false;
            if (type == "IDAT" && !xmpWritten)
            {
                WriteChunk(output, "iTXt", XmpText(xmpPacket));
                xmpWritten = true;
            }

            // Bit 5 of the first letter clear marks a critical chunk, which a decoder cannot skip.
            var critical = (png[position + 4] & 0x20) == 0;
            if (critical || RenderingChunks.Contains(type))
            {
                output.Write(png[position..chunkEnd]);
            }

            position = chunkEnd;
            if (type == "IEND")
            {
                if (!xmpWritten)
                {
                    throw new FormatException("The PNG has no IDAT chunk.");
                }

                return output.ToArray(); // anything after IEND is dropped
            }
        }
    }

    /// <summary>iTXt payload: keyword, NUL, uncompressed flag and method, empty language tag and translated keyword, UTF-8 text.</summary>
    private static byte[] XmpText(byte[] xmpPacket)
    {
        var keyword = Encoding.Latin1.GetBytes(XmpKeyword);
        var text = new byte[keyword.Length + 5 + xmpPacket.Length];
        keyword.CopyTo(text, 0);
        // text[keyword.Length .. +5] stays zero: NUL, compression flag 0, method 0, NUL after the language tag, NUL after the translated keyword
        xmpPacket.CopyTo(text, keyword.Length + 5);
        return text;
    }

    private static void WriteChunk(MemoryStream output, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(number, (uint)data.Length);
        output.Write(number);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        // The CRC covers type and data. System.IO.Hashing is the runtime's own CRC-32 (the PNG polynomial).
        var crc = new Crc32();
        crc.Append(typeBytes);
        crc.Append(data);
        BinaryPrimitives.WriteUInt32BigEndian(number, crc.GetCurrentHashAsUInt32());
        output.Write(number);
    }
}
