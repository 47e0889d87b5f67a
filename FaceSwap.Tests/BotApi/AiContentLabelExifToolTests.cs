using System.Text.Json;
using FaceSwap.BotApi.Media;
using FaceSwap.Tests.Deployment;
using SkiaSharp;
using static FaceSwap.Tests.BotApi.AiContentLabelTestFiles;

namespace FaceSwap.Tests.BotApi;

/// <summary>
/// The AI label as ExifTool, the reference reader of image metadata, sees it. ExifTool comes from Debian's
/// libimage-exiftool-perl (scripts/install-prerequisites.sh --test).
/// </summary>
public sealed class AiContentLabelExifToolTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ai-label-").FullName;

    private static readonly AiContentLabelOptions Label =
        AiContentLabelOptions.ForEngine("magicapi", "4.5.6", new DateTimeOffset(2026, 12, 2, 6, 0, 0, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>The tags ExifTool reads from the file, keyed <c>Group:Tag</c>, raw values (-n), none found twice.</summary>
    private async Task<Dictionary<string, JsonElement>> ReadTagsAsync(byte[] image, string extension, params string[] options)
    {
        var path = Path.Combine(_directory, $"image-{Guid.NewGuid():N}.{extension}");
        await File.WriteAllBytesAsync(path, image);
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync("exiftool", ["-j", "-n", "-a", "-G", .. options, path], _directory, TimeSpan.FromSeconds(60));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("ExifTool is not installed: run scripts/install-prerequisites.sh --test (Debian package libimage-exiftool-perl).", e);
        }

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var tags = json.RootElement[0].EnumerateObject().ToList();
        // With -a ExifTool lists a tag found twice (say, in two XMP packets) twice.
        Assert.Empty(tags.GroupBy(t => t.Name).Where(g => g.Count() > 1).Select(g => g.Key));
        return tags.ToDictionary(p => p.Name, p => p.Value.Clone());
    }

    private static void AssertReadsLabel(Dictionary<string, JsonElement> tags)
    {
        Assert.Equal(DigitalSourceType.CompositeWithTrainedAlgorithmicMedia, tags["XMP:DigitalSourceType"].GetString());
        Assert.Equal("FaceSwap 4.5.6", tags["XMP:CreatorTool"].GetString());
        Assert.Equal(Label.Credit, tags["XMP:Credit"].GetString());
        Assert.Equal(Label.Description, tags["XMP:Description"].GetString());
        Assert.Equal("2026:12:02 06:00:00+00:00", tags["XMP:CreateDate"].GetString());
        Assert.Equal("2026:12:02 06:00:00+00:00", tags["XMP:MetadataDate"].GetString());
    }

    [Fact]
    public async Task ExifTool_reads_the_label_from_a_jpeg_whose_exif_gps_is_gone()
    {
        var phonePhoto = WithPhoneMetadata(GradientImage(SKEncodedImageFormat.Jpeg));
        var before = await ReadTagsAsync(phonePhoto, "jpg", "-XMP:all", "-EXIF:all", "-IPTC:all", "-Photoshop:all", "-File:Comment");
        Assert.Equal(GpsCameraModel, before["EXIF:Model"].GetString()); // the hand-made Exif block is one ExifTool reads
        Assert.Equal(48.856750, before["EXIF:GPSLatitude"].GetDouble(), 5);

        var labelled = AiContentLabel.Apply(phonePhoto, Label);

        var after = await ReadTagsAsync(labelled, "jpg", "-All");
        AssertReadsLabel(after);
        Assert.DoesNotContain(after.Keys, k => k.StartsWith("EXIF:", StringComparison.Ordinal) || k.Contains("GPS", StringComparison.Ordinal)
            || k.StartsWith("IPTC:", StringComparison.Ordinal) || k.StartsWith("Photoshop:", StringComparison.Ordinal) || k == "File:Comment");
        Assert.DoesNotContain(after.Values, v => v.ToString().Contains("PhoneCam", StringComparison.Ordinal));
        var validation = await ReadTagsAsync(labelled, "jpg", "-validate", "-warning");
        Assert.False(validation.ContainsKey("ExifTool:Warning"), validation.GetValueOrDefault("ExifTool:Warning").ToString());
    }

    [Fact]
    public async Task ExifTool_reads_the_label_from_a_png_and_finds_its_chunks_valid()
    {
        var tagged = WithPngMetadata(GradientImage(SKEncodedImageFormat.Png));
        Assert.Equal(48.856750, (await ReadTagsAsync(tagged, "png", "-EXIF:GPSLatitude"))["EXIF:GPSLatitude"].GetDouble(), 5);

        var labelled = AiContentLabel.Apply(tagged, Label);

        var after = await ReadTagsAsync(labelled, "png", "-All");
        AssertReadsLabel(after);
        Assert.DoesNotContain(after.Keys, k => k.StartsWith("EXIF:", StringComparison.Ordinal) || k.Contains("GPS", StringComparison.Ordinal) || k.EndsWith(":Comment", StringComparison.Ordinal));
        // With -n, Validate counts errors, warnings and minor warnings; a chunk with a bad CRC is an error.
        Assert.Equal("0 0 0", (await ReadTagsAsync(labelled, "png", "-validate"))["ExifTool:Validate"].ToString());
        var badCrc = (byte[])labelled.Clone();
        var xmpChunk = badCrc.AsSpan().IndexOf("iTXt"u8);
        badCrc[xmpChunk + 4 + (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(badCrc.AsSpan(xmpChunk - 4))] ^= 0xFF;
        Assert.NotEqual("0 0 0", (await ReadTagsAsync(badCrc, "png", "-validate"))["ExifTool:Validate"].ToString());
    }

    [Theory]
    [InlineData(80, false)]
    [InlineData(100, false)]
    [InlineData(80, true)]
    public async Task ExifTool_reads_the_label_from_a_webp_and_finds_it_valid(int quality, bool asSkiaSharpWritesIt)
    {
        using var bitmap = Engine.TestImages.Decode(GradientImage(SKEncodedImageFormat.Png));
        var webp = Engine.TestImages.Encode(bitmap, SKEncodedImageFormat.Webp, quality);

        var input = asSkiaSharpWritesIt ? WithWebpExif(webp) : SimpleWebp(webp);
        Assert.Equal(asSkiaSharpWritesIt, (await ReadTagsAsync(input, "webp", "-EXIF:all")).ContainsKey("EXIF:GPSLatitude"));

        var labelled = AiContentLabel.Apply(input, Label);

        var after = await ReadTagsAsync(labelled, "webp", "-All");
        AssertReadsLabel(after);
        Assert.DoesNotContain(after.Keys, k => k.StartsWith("EXIF:", StringComparison.Ordinal) || k.Contains("GPS", StringComparison.Ordinal));
        Assert.Equal("0 0 0", (await ReadTagsAsync(labelled, "webp", "-validate"))["ExifTool:Validate"].ToString());
    }

    [Theory]
    [InlineData("grace_hopper.jpg")]
    [InlineData("clm_bieber_small.jpg")]
    [InlineData("grace_cmyk.jpg")]
    [InlineData("astronaut.png")]
    public async Task ExifTool_reads_the_label_from_real_photos_and_finds_them_valid(string name)
    {
        var labelled = AiContentLabel.Apply(Engine.TestImages.Read(name), Label);

        var extension = Path.GetExtension(name)[1..];
        AssertReadsLabel(await ReadTagsAsync(labelled, extension, "-XMP:all"));
        Assert.Equal("0 0 0", (await ReadTagsAsync(labelled, extension, "-validate"))["ExifTool:Validate"].ToString());
    }

    [Fact]
    public async Task ExifTool_finds_one_label_after_labelling_twice()
    {
        foreach (var (format, extension) in new[] { (SKEncodedImageFormat.Jpeg, "jpg"), (SKEncodedImageFormat.Png, "png") })
        {
            var twice = AiContentLabel.Apply(AiContentLabel.Apply(GradientImage(format), Label), Label with { CreatorTool = "FaceSwap 7.0.0" });

            var tags = await ReadTagsAsync(twice, extension, "-XMP:all");

            Assert.Equal("FaceSwap 7.0.0", tags["XMP:CreatorTool"].GetString());
            Assert.Equal(DigitalSourceType.CompositeWithTrainedAlgorithmicMedia, tags["XMP:DigitalSourceType"].GetString());
        }
    }
}
