using System.Text;
using System.Xml.Linq;
using FaceSwap.BotApi.Media;
using FaceSwap.Processor.Engines.Local;
using FaceSwap.Processor.Engines.MagicApi;
using FaceSwap.Tests.Engine;
using SkiaSharp;
using static FaceSwap.Tests.BotApi.AiContentLabelTestFiles;

namespace FaceSwap.Tests.BotApi;

/// <summary>The AI label read back by parsing the output here, so it is covered where ExifTool is not installed.</summary>
public sealed class AiContentLabelTests
{
    private const string Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    private const string IptcExtension = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";
    private const string XmpBasic = "http://ns.adobe.com/xap/1.0/";
    private const string Photoshop = "http://ns.adobe.com/photoshop/1.0/";
    private const string DublinCore = "http://purl.org/dc/elements/1.1/";

    private static readonly AiContentLabelOptions Label = new()
    {
        DigitalSourceType = DigitalSourceType.CompositeWithTrainedAlgorithmicMedia,
        CreatorTool = "FaceSwap 9.8.7",
        Credit = "Altered with AI <face swap> & more",
        Description = "AI-edited: a face was swapped \"in\".",
        CreatedAt = new DateTimeOffset(2026, 12, 2, 7, 30, 15, TimeSpan.FromHours(1)),
    };

    private static void AssertCarriesLabel(byte[] packet, AiContentLabelOptions label)
    {
        var description = XmpDescription(packet);
        string Value(string ns, string name) => description.Element(XName.Get(name, ns))!.Value;
        Assert.Equal(label.DigitalSourceType, Value(IptcExtension, "DigitalSourceType"));
        Assert.Equal(label.CreatorTool, Value(XmpBasic, "CreatorTool"));
        Assert.Equal(label.Credit, Value(Photoshop, "Credit"));
        Assert.Equal("2026-12-02T07:30:15+01:00", Value(XmpBasic, "CreateDate"));
        Assert.Equal("2026-12-02T07:30:15+01:00", Value(XmpBasic, "MetadataDate"));
        var text = description.Element(XName.Get("description", DublinCore))!.Descendants(XName.Get("li", Rdf)).Single();
        Assert.Equal(label.Description, text.Value);
        Assert.Equal("x-default", text.Attribute(XNamespace.Xml + "lang")!.Value);
    }

    private static List<byte[]> XmpPackets(List<(byte Marker, byte[] Payload)> segments)
    {
        var signature = Encoding.ASCII.GetBytes(XmpSignature);
        return [.. segments.Where(s => s.Marker == 0xE1 && s.Payload.AsSpan().StartsWith(signature)).Select(s => s.Payload[signature.Length..])];
    }

    [Fact]
    public void A_jpeg_gets_one_xmp_packet_with_the_label_right_after_its_jfif_header_and_keeps_its_pixels()
    {
        var jpeg = GradientImage(SKEncodedImageFormat.Jpeg);

        var labelled = AiContentLabel.Apply(jpeg, Label);

        var segments = JpegSegments(labelled);
        Assert.Equal(0xE0, segments[0].Marker);
        Assert.StartsWith("JFIF\0", Encoding.ASCII.GetString(segments[0].Payload));
        Assert.Equal(0xE1, segments[1].Marker);
        AssertCarriesLabel(Assert.Single(XmpPackets(segments)), Label);
        AssertSamePixels(jpeg, labelled);
    }

    [Fact]
    public void A_jpeg_loses_its_exif_gps_photoshop_comment_and_earlier_xmp()
    {
        var jpeg = GradientImage(SKEncodedImageFormat.Jpeg);
        var phonePhoto = WithPhoneMetadata(jpeg);
        Assert.Contains(JpegSegments(phonePhoto), s => s.Marker == 0xE1 && Encoding.ASCII.GetString(s.Payload).StartsWith("Exif\0\0", StringComparison.Ordinal));

        var labelled = AiContentLabel.Apply(phonePhoto, Label);

        var segments = JpegSegments(labelled);
        Assert.DoesNotContain(segments, s => s.Marker is 0xED or 0xFE);
        var app1 = Assert.Single(segments, s => s.Marker == 0xE1);
        Assert.StartsWith(XmpSignature, Encoding.ASCII.GetString(app1.Payload));
        Assert.DoesNotContain("PhoneCam", Encoding.UTF8.GetString(app1.Payload), StringComparison.Ordinal);
        var everything = Encoding.Latin1.GetString(labelled);
        Assert.DoesNotContain("Exif\0\0", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(GpsCameraModel, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("shot at home", everything, StringComparison.Ordinal);
        AssertSamePixels(jpeg, labelled);
    }

    [Fact]
    public void A_png_gets_one_xmp_itxt_chunk_before_its_first_idat_with_a_valid_crc_and_loses_its_text_and_exif_chunks()
    {
        var png = GradientImage(SKEncodedImageFormat.Png);
        var tagged = WithPngMetadata(png);
        Assert.Contains(PngChunks(tagged), c => c.Type == "eXIf");

        var labelled = AiContentLabel.Apply(tagged, Label);

        var chunks = PngChunks(labelled);
        Assert.All(chunks, c => Assert.True(c.CrcMatches, $"{c.Type} has a bad CRC"));
        Assert.Equal("IHDR", chunks[0].Type);
        Assert.Equal("IEND", chunks[^1].Type);
        Assert.DoesNotContain(chunks, c => c.Type is "tEXt" or "zTXt" or "eXIf" or "tIME");
        var xmp = Assert.Single(chunks, c => c.Type == "iTXt");
        Assert.Equal(chunks.FindIndex(c => c.Type == "IDAT") - 1, chunks.IndexOf(xmp));
        var header = "XML:com.adobe.xmp\0\0\0\0\0"u8.ToArray();
        Assert.True(xmp.Data.AsSpan().StartsWith(header), "the iTXt chunk is not an uncompressed XMP chunk");
        AssertCarriesLabel(xmp.Data[header.Length..], Label);
        Assert.DoesNotContain(GpsCameraModel, Encoding.Latin1.GetString(labelled), StringComparison.Ordinal);
        AssertSamePixels(png, labelled);
    }

    [Theory]
    [InlineData("grace_hopper.jpg")]
    [InlineData("clm_bieber_small.jpg")] // progressive: several scans with tables between them
    [InlineData("grace_cmyk.jpg")] // CMYK, whose Adobe APP14 segment the decoder needs
    [InlineData("astronaut.png")]
    [InlineData("coffee.png")]
    public void A_real_photo_keeps_its_pixels_and_carries_one_label(string name)
    {
        var photo = TestImages.Read(name);

        var labelled = AiContentLabel.Apply(photo, Label);

        AssertSamePixels(photo, labelled);
        var packets = name.EndsWith(".jpg", StringComparison.Ordinal)
            ? XmpPackets(JpegSegments(labelled))
            : [.. PngChunks(labelled).Where(c => c.Type == "iTXt").Select(c => c.Data["XML:com.adobe.xmp\0\0\0\0\0"u8.Length..])];
        AssertCarriesLabel(Assert.Single(packets), Label);
    }

    [Fact]
    public void Whatever_follows_the_end_of_a_jpeg_or_png_is_dropped()
    {
        // Phones append preview images (with their own Exif) after EOI; some tools append data after IEND.
        var trailer = WithPhoneMetadata(GradientImage(SKEncodedImageFormat.Jpeg, 16, 16));
        var jpeg = GradientImage(SKEncodedImageFormat.Jpeg);
        var png = GradientImage(SKEncodedImageFormat.Png);

        var labelledJpeg = AiContentLabel.Apply([.. jpeg, .. trailer], Label);
        var labelledPng = AiContentLabel.Apply([.. png, .. trailer], Label);

        Assert.Equal(AiContentLabel.Apply(jpeg, Label), labelledJpeg);
        Assert.Equal(AiContentLabel.Apply(png, Label), labelledPng);
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Jpeg)]
    [InlineData(SKEncodedImageFormat.Png)]
    public void Labelling_is_deterministic_and_labelling_again_replaces_the_packet(SKEncodedImageFormat format)
    {
        var image = GradientImage(format);

        var once = AiContentLabel.Apply(image, Label);
        var relabelled = AiContentLabel.Apply(once, Label with { CreatedAt = Label.CreatedAt.AddDays(1) });

        Assert.Equal(once, AiContentLabel.Apply(image, Label));
        Assert.Equal(once, AiContentLabel.Apply(relabelled, Label));
        var packets = format == SKEncodedImageFormat.Jpeg
            ? XmpPackets(JpegSegments(relabelled))
            : [.. PngChunks(relabelled).Where(c => c.Type == "iTXt").Select(c => c.Data)];
        Assert.Single(packets);
        Assert.Equal(1, CountOf(relabelled, "<x:xmpmeta"u8));
        Assert.Equal(3, CountOf(relabelled, "2026-12-03T07:30:15+01:00"u8)); // CreateDate, ModifyDate and MetadataDate of the new label
        Assert.Equal(0, CountOf(relabelled, "2026-12-02T07:30:15"u8));
    }

    private static int CountOf(byte[] haystack, ReadOnlySpan<byte> needle)
    {
        var count = 0;
        for (var rest = haystack.AsSpan(); rest.IndexOf(needle) is var at and >= 0; rest = rest[(at + needle.Length)..])
        {
            count++;
        }

        return count;
    }

    [Fact]
    public void An_image_that_is_not_jpeg_png_or_webp_is_refused_with_a_clear_error()
    {
        var gif = TestImages.Read("grace_then_coffee.gif");

        Assert.False(AiContentLabel.CanApply(gif));
        Assert.Contains("JPEG, PNG and WebP", Assert.Throws<NotSupportedException>(() => AiContentLabel.Apply(gif, Label)).Message, StringComparison.Ordinal);
        Assert.True(AiContentLabel.CanApply(GradientImage(SKEncodedImageFormat.Webp)));
    }

    [Theory]
    [InlineData(80, false)] // lossy: a simple VP8 file
    [InlineData(100, false)] // SkiaSharp's lossless: a simple VP8L file
    [InlineData(80, true)] // as SkiaSharp writes it (an extended file with VP8X and its sRGB profile in ICCP), plus EXIF with GPS
    [InlineData(100, true)]
    public void A_webp_becomes_an_extended_file_with_one_xmp_chunk_after_the_image_and_keeps_its_pixels(int quality, bool withColourProfile)
    {
        using var bitmap = TestImages.Decode(GradientImage(SKEncodedImageFormat.Png));
        var extended = TestImages.Encode(bitmap, SKEncodedImageFormat.Webp, quality);
        var webp = withColourProfile ? WithWebpExif(extended) : SimpleWebp(extended);
        var input = WebpChunks(webp);
        Assert.Equal(withColourProfile, input[0].FourCc == "VP8X" && input[^1].FourCc == "EXIF");

        var labelled = AiContentLabel.Apply(webp, Label);

        var chunks = WebpChunks(labelled);
        var image = input.Single(c => c.FourCc is "VP8 " or "VP8L");
        Assert.Equal(["VP8X", .. withColourProfile ? ["ICCP"] : Array.Empty<string>(), image.FourCc, "XMP "], chunks.Select(c => c.FourCc));
        var header = chunks[0].Payload;
        Assert.Equal(0x04, header[0] & 0x0C); // the XMP flag set, the EXIF flag clear
        Assert.Equal((bitmap.Width, bitmap.Height), (header[4] + (header[5] << 8) + (header[6] << 16) + 1, header[7] + (header[8] << 8) + (header[9] << 16) + 1));
        Assert.Equal(image.Payload, chunks[^2].Payload);
        AssertCarriesLabel(chunks[^1].Payload, Label);
        Assert.Equal(labelled, AiContentLabel.Apply(labelled, Label));
        AssertSamePixels(webp, labelled);
    }

    [Fact]
    public void A_truncated_image_is_refused_as_malformed()
    {
        var jpeg = GradientImage(SKEncodedImageFormat.Jpeg);
        var png = GradientImage(SKEncodedImageFormat.Png);

        Assert.Throws<FormatException>(() => AiContentLabel.Apply(jpeg[..(jpeg.Length / 2)], Label));
        Assert.Throws<FormatException>(() => AiContentLabel.Apply(png[..(png.Length - 20)], Label));
    }

    [Fact]
    public void An_incomplete_label_is_refused()
    {
        Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(
            () => AiContentLabel.Apply(GradientImage(SKEncodedImageFormat.Png), Label with { DigitalSourceType = "" }));
    }

    [Fact]
    public void The_hosted_neural_engine_is_declared_trained_and_the_local_classical_engine_synthetic()
    {
        var when = Label.CreatedAt;

        var hosted = AiContentLabelOptions.ForEngine(MagicApiFaceSwapEngine.EngineName, "1.2.3", when);
        var local = AiContentLabelOptions.ForEngine(LocalFaceSwapEngine.EngineName, "1.2.3", when);

        Assert.Equal(LocalFaceSwapEngine.EngineName, AiContentLabelOptions.LocalEngineName);
        Assert.Equal("http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia", hosted.DigitalSourceType);
        Assert.Equal("http://cv.iptc.org/newscodes/digitalsourcetype/compositeSynthetic", local.DigitalSourceType);
        Assert.Equal("FaceSwap 1.2.3", hosted.CreatorTool);
        Assert.Equal(when, local.CreatedAt);
        Assert.Contains("AI", local.Description, StringComparison.Ordinal);
        Assert.Contains("AI", hosted.Credit, StringComparison.Ordinal);
    }

    [Fact]
    public void The_visible_mark_changes_only_the_bottom_right_corner()
    {
        var png = GradientImage(SKEncodedImageFormat.Png, 400, 300);

        var marked = AiContentLabel.DrawVisibleMark(png, "AI-edited");

        using var codec = SKCodec.Create(SKData.CreateCopy(marked));
        Assert.Equal(SKEncodedImageFormat.Png, codec.EncodedFormat);
        using var before = TestImages.Decode(png);
        using var after = TestImages.Decode(marked);
        Assert.Equal((400, 300), (after.Width, after.Height));
        int ChangedPixels(int fromX, int toX, int fromY, int toY)
        {
            var changed = 0;
            for (var y = fromY; y < toY; y++)
            {
                for (var x = fromX; x < toX; x++)
                {
                    changed += before.GetPixel(x, y) == after.GetPixel(x, y) ? 0 : 1;
                }
            }

            return changed;
        }

        Assert.Equal(0, ChangedPixels(0, 400, 0, 200)); // the upper two thirds
        Assert.Equal(0, ChangedPixels(0, 200, 200, 300)); // the lower-left quarter
        var corner = ChangedPixels(300, 400, 270, 300);
        Assert.True(corner > 300, $"only {corner} pixels of the bottom-right corner changed");
    }
}
