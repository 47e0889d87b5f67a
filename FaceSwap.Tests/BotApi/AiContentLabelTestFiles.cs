using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using System.Xml.Linq;
using FaceSwap.Tests.Engine;
using SkiaSharp;

namespace FaceSwap.Tests.BotApi;

/// <summary>Images with the metadata a phone photo carries, and readers of the segments and chunks a label leaves.</summary>
internal static class AiContentLabelTestFiles
{
    public const string XmpSignature = "http://ns.adobe.com/xap/1.0/\0";
    public const string GpsCameraModel = "GpsTestCam";

    public static byte[] GradientImage(SKEncodedImageFormat format, int width = 320, int height = 240)
    {
        using var bitmap = new SKBitmap(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, new SKColor((byte)(x * 255 / (width - 1)), (byte)(y * 255 / (height - 1)), (byte)((x + y) * 255 / (width + height - 2))));
            }
        }

        return TestImages.Encode(bitmap, format, 90);
    }

    /// <summary>
    /// The JPEG with what a phone and an editor leave in it, after SOI: an Exif APP1 with a camera model and a GPS
    /// position (48°51'24.3"N 2°17'40"E), a Photoshop APP13, a comment and an XMP packet from elsewhere.
    /// </summary>
    public static byte[] WithPhoneMetadata(byte[] jpeg)
    {
        using var output = new MemoryStream();
        output.Write(jpeg.AsSpan(0, 2));
        WriteSegment(output, 0xE1, [.. "Exif\0\0"u8, .. ExifWithGps()]);
        WriteSegment(output, 0xED, [.. "Photoshop 3.0\0"u8, .. "8BIM"u8, 0x04, 0x04, 0, 0, 0, 0, 0, 0]);
        WriteSegment(output, 0xFE, "shot at home"u8.ToArray());
        WriteSegment(output, 0xE1, [.. Encoding.ASCII.GetBytes(XmpSignature), .. Encoding.UTF8.GetBytes("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"><xmp:CreatorTool>PhoneCam</xmp:CreatorTool></rdf:Description></rdf:RDF></x:xmpmeta>")]);
        output.Write(jpeg.AsSpan(2));
        return output.ToArray();
    }

    /// <summary>A little-endian TIFF structure: IFD0 with Model and the GPS IFD pointer, the GPS IFD with latitude and longitude.</summary>
    private static byte[] ExifWithGps()
    {
        const int ifd0 = 8, ifd0Entries = 2, gpsIfd = ifd0 + 2 + (ifd0Entries * 12) + 4, gpsEntries = 4;
        const int model = gpsIfd + 2 + (gpsEntries * 12) + 4, latitude = model + 12, longitude = latitude + 24;
        var tiff = new byte[longitude + 24];
        var span = tiff.AsSpan();
        "II"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], 42);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], ifd0);
        BinaryPrimitives.WriteUInt16LittleEndian(span[ifd0..], ifd0Entries);
        Entry(span, ifd0 + 2, 0x0110, 2, GpsCameraModel.Length + 1, model); // Model, ASCII
        Entry(span, ifd0 + 14, 0x8825, 4, 1, gpsIfd); // GPSInfo IFD pointer, LONG
        BinaryPrimitives.WriteUInt16LittleEndian(span[gpsIfd..], gpsEntries);
        Entry(span, gpsIfd + 2, 0x0001, 2, 2, 'N'); // GPSLatitudeRef, ASCII, in the value field
        Entry(span, gpsIfd + 14, 0x0002, 5, 3, latitude); // GPSLatitude, three RATIONALs
        Entry(span, gpsIfd + 26, 0x0003, 2, 2, 'E');
        Entry(span, gpsIfd + 38, 0x0004, 5, 3, longitude);
        Encoding.ASCII.GetBytes(GpsCameraModel).CopyTo(span[model..]);
        Rationals(span[latitude..], (48, 1), (51, 1), (243, 10));
        Rationals(span[longitude..], (2, 1), (17, 1), (40, 1));
        return tiff;
    }

    private static void Entry(Span<byte> tiff, int at, ushort tag, ushort type, int count, int valueOrOffset)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(tiff[at..], tag);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff[(at + 2)..], type);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff[(at + 4)..], (uint)count);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff[(at + 8)..], (uint)valueOrOffset);
    }

    private static void Rationals(Span<byte> at, params (uint Numerator, uint Denominator)[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(at[(i * 8)..], values[i].Numerator);
            BinaryPrimitives.WriteUInt32LittleEndian(at[((i * 8) + 4)..], values[i].Denominator);
        }
    }

    private static void WriteSegment(MemoryStream output, byte marker, byte[] payload)
    {
        output.Write([0xFF, marker, (byte)((payload.Length + 2) >> 8), (byte)(payload.Length + 2)]);
        output.Write(payload);
    }

    /// <summary>The PNG with a tEXt, an eXIf (with GPS), a tIME and a foreign XMP iTXt chunk right after IHDR.</summary>
    public static byte[] WithPngMetadata(byte[] png)
    {
        var ihdrEnd = 8 + 12 + (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(8));
        using var output = new MemoryStream();
        output.Write(png.AsSpan(0, ihdrEnd));
        WriteChunk(output, "tEXt", [.. "Comment\0"u8, .. "shot at home"u8]);
        WriteChunk(output, "eXIf", ExifWithGps());
        WriteChunk(output, "tIME", [0x07, 0xE9, 1, 2, 3, 4, 5]);
        WriteChunk(output, "iTXt", [.. "XML:com.adobe.xmp\0\0\0\0\0"u8, .. "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"/>"u8]);
        output.Write(png.AsSpan(ihdrEnd));
        return output.ToArray();
    }

    private static void WriteChunk(MemoryStream output, string type, byte[] data)
    {
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        var number = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(number, (uint)data.Length);
        output.Write(number);
        output.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32.HashToUInt32(typeAndData));
        output.Write(number);
    }

    /// <summary>The JPEG's marker segments up to the first scan, as marker and payload.</summary>
    public static List<(byte Marker, byte[] Payload)> JpegSegments(byte[] jpeg)
    {
        Assert.True(jpeg[0] == 0xFF && jpeg[1] == 0xD8, "no SOI");
        var segments = new List<(byte, byte[])>();
        var position = 2;
        while (true)
        {
            Assert.Equal(0xFF, jpeg[position]);
            var marker = jpeg[position + 1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(position + 2));
            segments.Add((marker, jpeg.AsSpan(position + 4, length - 2).ToArray()));
            if (marker == 0xDA)
            {
                return segments;
            }

            position += 2 + length;
        }
    }

    /// <summary>The PNG's chunks as type, data and whether the stored CRC matches.</summary>
    public static List<(string Type, byte[] Data, bool CrcMatches)> PngChunks(byte[] png)
    {
        var chunks = new List<(string, byte[], bool)>();
        var position = 8;
        while (position < png.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(position));
            var typeAndData = png.AsSpan(position + 4, 4 + length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(position + 8 + length));
            chunks.Add((Encoding.ASCII.GetString(typeAndData[..4]), typeAndData[4..].ToArray(), crc == Crc32.HashToUInt32(typeAndData)));
            position += 12 + length;
        }

        return chunks;
    }

    /// <summary>The WebP's RIFF chunks as FourCC and payload, checking the RIFF size.</summary>
    public static List<(string FourCc, byte[] Payload)> WebpChunks(byte[] webp)
    {
        Assert.Equal(webp.Length - 8, (int)BinaryPrimitives.ReadUInt32LittleEndian(webp.AsSpan(4)));
        var chunks = new List<(string, byte[])>();
        for (var position = 12; position < webp.Length;)
        {
            var size = (int)BinaryPrimitives.ReadUInt32LittleEndian(webp.AsSpan(position + 4));
            chunks.Add((Encoding.ASCII.GetString(webp, position, 4), webp.AsSpan(position + 8, size).ToArray()));
            position += 8 + size + (size % 2);
        }

        return chunks;
    }

    /// <summary>The simple form of a WebP (as other encoders write it): RIFF header and the image chunk alone.</summary>
    public static byte[] SimpleWebp(byte[] webp)
    {
        var (fourCc, payload) = WebpChunks(webp).Single(c => c.FourCc is "VP8 " or "VP8L");
        using var output = new MemoryStream();
        var number = new byte[4];
        output.Write("RIFF\0\0\0\0WEBP"u8);
        output.Write(Encoding.ASCII.GetBytes(fourCc));
        BinaryPrimitives.WriteUInt32LittleEndian(number, (uint)payload.Length);
        output.Write(number);
        output.Write(payload);
        if (payload.Length % 2 == 1)
        {
            output.WriteByte(0);
        }

        var bytes = output.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)(bytes.Length - 8));
        return bytes;
    }

    /// <summary>An extended WebP with an EXIF chunk (with GPS) appended and flagged in VP8X, as a camera app writes it.</summary>
    public static byte[] WithWebpExif(byte[] extendedWebp)
    {
        var exif = ExifWithGps();
        var number = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(number, (uint)exif.Length);
        byte[] bytes = [.. extendedWebp, .. "EXIF"u8, .. number, .. exif, .. exif.Length % 2 == 1 ? new byte[1] : []];
        Assert.Equal("VP8X", Encoding.ASCII.GetString(bytes, 12, 4));
        bytes[20] |= 0x08; // the EXIF flag
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)(bytes.Length - 8));
        return bytes;
    }

    public static XElement XmpDescription(byte[] packet)
    {
        var text = Encoding.UTF8.GetString(packet);
        var document = XDocument.Parse(text);
        return document.Descendants(XName.Get("Description", "http://www.w3.org/1999/02/22-rdf-syntax-ns#")).Single();
    }

    public static void AssertSamePixels(byte[] expected, byte[] actual)
    {
        using var before = TestImages.Decode(expected);
        using var after = TestImages.Decode(actual);
        Assert.Equal((before.Width, before.Height), (after.Width, after.Height));
        Assert.True(before.GetPixelSpan().SequenceEqual(after.GetPixelSpan()), "the decoded pixels differ");
    }
}
