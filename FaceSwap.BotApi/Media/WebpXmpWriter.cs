using System.Buffers.Binary;
using System.Text;

namespace FaceSwap.BotApi.Media;

/// <summary>
/// Rewrites a WebP's RIFF chunks: keeps the image chunks (VP8, VP8L, ALPH, ANIM, ANMF) and the ICC profile, drops
/// EXIF, XMP and unknown chunks, and appends one <c>XMP </c> chunk, turning a simple (lossy or lossless) file into
/// the extended format that metadata needs (a VP8X header with the XMP flag). The bitstream is copied unchanged.
/// </summary>
internal static class WebpXmpWriter
{
    // VP8X flags (RFC 9649 section 2.7): ICC profile, alpha, EXIF, XMP, animation.
    private const byte IccFlag = 0x20, AlphaFlag = 0x10, ExifFlag = 0x08, XmpFlag = 0x04;

    private static readonly HashSet<string> ImageChunks = ["VP8 ", "VP8L", "ALPH", "ANIM", "ANMF", "ICCP"];

    public static bool IsWebp(ReadOnlySpan<byte> data) =>
        data.Length >= 12 && data[..4].SequenceEqual("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8);

    public static byte[] Write(ReadOnlySpan<byte> webp, byte[] xmpPacket)
    {
        var riffEnd = (long)BinaryPrimitives.ReadUInt32LittleEndian(webp[4..]) + 8;
        if (riffEnd > webp.Length)
        {
            throw new FormatException("The WebP is shorter than its RIFF header says.");
        }

        var kept = new List<(string FourCc, int Start, int End)>(); // End includes the padding byte
        byte[]? extendedHeader = null;
        for (var position = 12; position < riffEnd;)
        {
            if (position + 8 > riffEnd)
            {
                throw new FormatException("The WebP ends inside a chunk header.");
            }

            var fourCc = Encoding.ASCII.GetString(webp.Slice(position, 4));
            var size = BinaryPrimitives.ReadUInt32LittleEndian(webp[(position + 4)..]);
            var end = position + 8 + (long)size + (size & 1);
            if (end > riffEnd + (size & 1))
            {
                throw new FormatException("A WebP chunk runs past the end of the file.");
            }

            if (fourCc == "VP8X" && size >= 10)
            {
                extendedHeader = webp.Slice(position + 8, 10).ToArray();
            }
            else if (ImageChunks.Contains(fourCc))
            {
                kept.Add((fourCc, position, (int)Math.Min(end, riffEnd)));
            }

            position = (int)end;
        }

        if (!kept.Exists(c => c.FourCc is "VP8 " or "VP8L" or "ANMF"))
        {
            throw new FormatException("The WebP has no image data.");
        }

        extendedHeader ??= HeaderForSimpleFile(webp, kept.Single(c => c.FourCc is "VP8 " or "VP8L"));
        extendedHeader[0] = (byte)((extendedHeader[0] & ~ExifFlag) | XmpFlag);
        if (!kept.Exists(c => c.FourCc == "ICCP"))
        {
            extendedHeader[0] &= unchecked((byte)~IccFlag);
        }

        using var output = new MemoryStream(webp.Length + xmpPacket.Length + 64);
        output.Write("RIFF\0\0\0\0WEBP"u8);
        WriteChunk(output, "VP8X", extendedHeader);
        foreach (var (fourCc, start, end) in kept)
        {
            output.Write(webp[start..end]);
            if ((end - start) % 2 == 1)
            {
                output.WriteByte(0); // a padding byte the input lacked at its very end
            }
        }

        WriteChunk(output, "XMP ", xmpPacket);
        var bytes = output.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)(bytes.Length - 8));
        return bytes;
    }

    /// <summary>The VP8X payload for a simple file: its canvas size (and alpha) read from the bitstream header.</summary>
    private static byte[] HeaderForSimpleFile(ReadOnlySpan<byte> webp, (string FourCc, int Start, int End) image)
    {
        var payload = webp[(image.Start + 8)..image.End];
        int width, height;
        var alpha = false;
        if (image.FourCc == "VP8 ")
        {
            // Key frame: 3-byte frame tag, start code 9D 01 2A, then 14-bit width and height.
            if (payload.Length < 10 || payload[3] != 0x9D || payload[4] != 0x01 || payload[5] != 0x2A)
            {
                throw new FormatException("The VP8 bitstream has no key frame header.");
            }

            width = BinaryPrimitives.ReadUInt16LittleEndian(payload[6..]) & 0x3FFF;
            height = BinaryPrimitives.ReadUInt16LittleEndian(payload[8..]) & 0x3FFF;
        }
        else
        {
            // Signature 0x2F, then width-1 and height-1 in 14 bits each and the alpha hint bit.
            if (payload.Length < 5 || payload[0] != 0x2F)
            {
                throw new FormatException("The VP8L bitstream has no header.");
            }

            var bits = BinaryPrimitives.ReadUInt32LittleEndian(payload[1..]);
            width = (int)(bits & 0x3FFF) + 1;
            height = (int)((bits >> 14) & 0x3FFF) + 1;
            alpha = ((bits >> 28) & 1) == 1;
        }

        var header = new byte[10];
        header[0] = alpha ? AlphaFlag : (byte)0;
        WriteUInt24(header.AsSpan(4), width - 1);
        WriteUInt24(header.AsSpan(7), height - 1);
        return header;
    }

    private static void WriteUInt24(Span<byte> at, int value)
    {
        at[0] = (byte)value;
        at[1] = (byte)(value >> 8);
        at[2] = (byte)(value >> 16);
    }

    private static void WriteChunk(MemoryStream output, string fourCc, byte[] payload)
    {
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)payload.Length);
        output.Write(Encoding.ASCII.GetBytes(fourCc));
        output.Write(size);
        output.Write(payload);
        if (payload.Length % 2 == 1)
        {
            output.WriteByte(0);
        }
    }
}
