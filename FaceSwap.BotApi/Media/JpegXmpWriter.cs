using System.Buffers.Binary;
using System.Text;

namespace FaceSwap.BotApi.Media;

/// <summary>
/// Rewrites a JPEG's marker segments: keeps what decoding needs, drops every metadata segment (Exif and XMP APP1,
/// Photoshop/IPTC APP13, comments, MPF preview images, trailers after EOI) and puts one XMP APP1 right after SOI
/// (after the JFIF APP0 when there is one, which JFIF requires to come first). The compressed picture is copied
/// byte for byte, so the pixels do not change.
/// </summary>
internal static class JpegXmpWriter
{
    private const byte Soi = 0xD8, Eoi = 0xD9, Sos = 0xDA, App0 = 0xE0, App2 = 0xE2, App14 = 0xEE, App15 = 0xEF;

    /// <summary>Signature of an XMP APP1 payload: the namespace and a NUL byte.</summary>
    public static readonly byte[] XmpSignature = Encoding.ASCII.GetBytes(XmpPacket.XmpBasicNamespace + "\0");

    private static readonly byte[] Jfif = "JFIF\0"u8.ToArray();
    private static readonly byte[] IccProfile = "ICC_PROFILE\0"u8.ToArray();
    private static readonly byte[] Adobe = "Adobe"u8.ToArray();

    // JFIF APP0 payload up to the thumbnail size fields: identifier, version, units, two densities.
    private const int JfifHeaderLength = 5 + 2 + 1 + 2 + 2;

    public static bool IsJpeg(ReadOnlySpan<byte> data) => data.Length >= 3 && data[0] == 0xFF && data[1] == Soi && data[2] == 0xFF;

    public static byte[] Write(ReadOnlySpan<byte> jpeg, byte[] xmpPacket)
    {
        var payloadLength = XmpSignature.Length + xmpPacket.Length;
        if (payloadLength + 2 > ushort.MaxValue)
        {
            throw new ArgumentException($"The XMP packet ({xmpPacket.Length} bytes) does not fit one JPEG segment.", nameof(xmpPacket));
        }

        using var output = new MemoryStream(jpeg.Length + payloadLength + 4);
        output.Write([0xFF, Soi]);
        var position = 2;
        var xmpWritten = false;
        while (true)
        {
            var markerStart = position;
            var marker = ReadMarker(jpeg, ref position);
            if (marker == Eoi)
            {
                WriteXmpOnce(output, xmpPacket, ref xmpWritten);
                output.Write([0xFF, Eoi]);
                return output.ToArray(); // anything after EOI (trailers, appended preview images) is dropped
            }

            if (marker is >= 0xD0 and <= 0xD7 or 0x01)
            {
                output.Write(jpeg[markerStart..position]); // restart markers and TEM carry no length
                continue;
            }

            if (position + 2 > jpeg.Length)
            {
                throw new FormatException("The JPEG ends inside a segment header.");
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[position..]);
            var end = position + length;
            if (length < 2 || end > jpeg.Length)
            {
                throw new FormatException("A JPEG segment runs past the end of the file.");
            }

            var payload = jpeg[(position + 2)..end];
            position = end;
            if (marker == App0 && payload.StartsWith(Jfif) && payload.Length >= JfifHeaderLength + 2)
            {
                WriteJfifWithoutThumbnail(output, payload);
                continue;
            }

            if (IsMetadata(marker, payload))
            {
                continue;
            }

            WriteXmpOnce(output, xmpPacket, ref xmpWritten);
            output.Write([0xFF, marker]);
            output.Write(jpeg[(end - length)..end]); // the length field and the payload
            if (marker == Sos)
            {
                var scanEnd = EndOfEntropyCodedData(jpeg, position);
                output.Write(jpeg[position..scanEnd]);
                position = scanEnd;
            }
        }
    }

    private static void WriteXmpOnce(MemoryStream output, byte[] xmpPacket, ref bool written)
    {
        if (written)
        {
            return;
        }

        Span<byte> header = stackalloc byte[4];
        header[0] = 0xFF;
        header[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)(2 + XmpSignature.Length + xmpPacket.Length));
        output.Write(header);
        output.Write(XmpSignature);
        output.Write(xmpPacket);
        written = true;
    }

    /// <summary>The JFIF APP0 without its embedded thumbnail: a thumbnail would still show the photo before the swap.</summary>
    private static void WriteJfifWithoutThumbnail(MemoryStream output, ReadOnlySpan<byte> payload)
    {
        Span<byte> segment = stackalloc byte[4 + JfifHeaderLength + 2];
        segment[0] = 0xFF;
        segment[1] = App0;
        BinaryPrimitives.WriteUInt16BigEndian(segment[2..], (ushort)(2 + JfifHeaderLength + 2));
        payload[..JfifHeaderLength].CopyTo(segment[4..]);
        segment[^2] = 0; // thumbnail width
        segment[^1] = 0; // thumbnail height
        output.Write(segment);
    }

    /// <summary>
    /// Every application segment and comment is metadata except the three a decoder reads: JFIF (handled apart),
    /// the ICC colour profile and Adobe's colour-transform flag. Keeping only those is what "nothing of the input's
    /// metadata is kept" means for vendor segments nobody here can vouch for.
    /// </summary>
    private static bool IsMetadata(byte marker, ReadOnlySpan<byte> payload) => marker switch
    {
        App2 => !payload.StartsWith(IccProfile),
        App14 => !payload.StartsWith(Adobe),
        >= App0 and <= App15 => true,
        0xFE => true, // COM
        _ => false,
    };

    private static byte ReadMarker(ReadOnlySpan<byte> jpeg, ref int position)
    {
        if (position >= jpeg.Length || jpeg[position] != 0xFF)
        {
            throw new FormatException("The JPEG has no marker where one must be (or ends without EOI).");
        }

        while (position < jpeg.Length && jpeg[position] == 0xFF)
        {
            position++; // a marker may be preceded by fill bytes
        }

        if (position >= jpeg.Length)
        {
            throw new FormatException("The JPEG ends inside a marker.");
        }

        return jpeg[position++];
    }

    /// <summary>Where the compressed data after a scan header ends: at the first marker that is not a stuffed 0xFF or a restart.</summary>
    private static int EndOfEntropyCodedData(ReadOnlySpan<byte> jpeg, int position)
    {
        while (true)
        {
            var next = jpeg[position..].IndexOf((byte)0xFF);
            if (next < 0 || position + next + 1 >= jpeg.Length)
            {
                throw new FormatException("The JPEG ends inside a scan.");
            }

            position += next;
            var following = jpeg[position + 1];
            if (following == 0x00 || following is >= 0xD0 and <= 0xD7)
            {
                position += 2;
                continue;
            }

            if (following == 0xFF)
            {
                position += 1;
                continue;
            }

            return position;
        }
    }
}
