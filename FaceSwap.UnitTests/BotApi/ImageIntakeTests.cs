using FaceSwap.BotApi.Media;
using FaceSwap.Tests.Engine;
using FaceSwap.Tests.Safety;
using FaceSwap.Tests.Support;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace FaceSwap.Tests.BotApi;

public sealed class ImageIntakeTests
{
    private const long EnginePixels = 100_000; // so the full-decode bound is 400,000 pixels

    private static ImageIntake Intake(int decodesInParallel = 2) => Intake(out _, decodesInParallel);

    private static ImageIntake Intake(out ImageDecodeSlots slots, int decodesInParallel = 2)
    {
        var options = Options.Create(new ImageIntakeOptions { MaxPixels = 40_000_000, EnginePixels = EnginePixels, DecodesInParallel = decodesInParallel });
        slots = new ImageDecodeSlots(options);
        return new ImageIntake(options, slots, TestGates.Disabled(), TestMetrics.Create());
    }

    /// <summary>Red grows left to right, green top to bottom, blue along the diagonal: every point has its own colour.</summary>
    private static (byte R, byte G, byte B) Gradient(double x, double y, int width, int height) =>
        ((byte)Math.Round(x * 255 / (width - 1)), (byte)Math.Round(y * 255 / (height - 1)), (byte)Math.Round((x + y) * 255 / (width + height - 2)));

    private static byte[] EncodedGradient(int width, int height, SKEncodedImageFormat format)
    {
        using var source = new SKBitmap(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var (r, g, b) = Gradient(x, y, width, height);
                source.SetPixel(x, y, new SKColor(r, g, b));
            }
        }

        return TestImages.Encode(source, format, 95);
    }

    private static void AssertShowsGradient(SKBitmap output, int sourceWidth, int sourceHeight, int tolerance)
    {
        foreach (var (fx, fy) in new[] { (0.1, 0.1), (0.9, 0.1), (0.5, 0.5), (0.1, 0.9), (0.8, 0.7) })
        {
            var (x, y) = ((int)(output.Width * fx), (int)(output.Height * fy));
            // The box (or scaled) pixel stands for the source area around its centre, and the gradient is linear there.
            var expected = Gradient((x + 0.5) * sourceWidth / output.Width - 0.5, (y + 0.5) * sourceHeight / output.Height - 0.5, sourceWidth, sourceHeight);
            var actual = output.GetPixel(x, y);
            Assert.True(Math.Abs(actual.Red - expected.R) <= tolerance && Math.Abs(actual.Green - expected.G) <= tolerance && Math.Abs(actual.Blue - expected.B) <= tolerance,
                $"pixel ({x}, {y}) is {actual}, the gradient there is {expected}");
        }
    }

    [Fact]
    public async Task A_large_png_is_shrunk_row_by_row_to_the_engine_size_and_keeps_its_picture()
    {
        const int width = 1000, height = 800;
        var png = ImageIntakePngWriter.Write(width, height, ImageIntakePngWriter.Rgb, 8, ImageIntakePngWriter.RgbRows(width, (x, y) => Gradient(x, y, width, height)));

        var result = await Intake().AcceptAsync(png, CancellationToken.None);

        Assert.Equal(IntakeVerdict.Accepted, result.Verdict);
        Assert.Equal((width, height), (result.Width, result.Height));
        using var output = TestImages.Decode(result.Image!);
        Assert.Equal((353, 282), (output.Width, output.Height)); // 1000x800 x sqrt(100000 / 800000), rounded down
        AssertShowsGradient(output, width, height, tolerance: 4);
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Jpeg, 2000, 1600)] // libjpeg decodes at 2/8, then the rest is resized
    [InlineData(SKEncodedImageFormat.Webp, 1000, 800)]  // libwebp decodes at 3/8
    public async Task A_large_jpeg_or_webp_is_decoded_at_a_reduced_scale_and_keeps_its_picture(SKEncodedImageFormat format, int width, int height)
    {
        var result = await Intake().AcceptAsync(EncodedGradient(width, height, format), CancellationToken.None);

        Assert.Equal(IntakeVerdict.Accepted, result.Verdict);
        using var output = TestImages.Decode(result.Image!);
        Assert.Equal((353, 282), (output.Width, output.Height));
        AssertShowsGradient(output, width, height, tolerance: 6);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Fine_detail_in_a_large_png_is_averaged_not_sampled(bool vertical)
    {
        // One-pixel black and white stripes: averaged, they are mid grey; sampled, they would be black or white.
        const int width = 1000, height = 800;
        var png = ImageIntakePngWriter.Write(width, height, ImageIntakePngWriter.Rgb, 8,
            ImageIntakePngWriter.RgbRows(width, (x, y) => (vertical ? x : y) % 2 == 0 ? ((byte)0, (byte)0, (byte)0) : ((byte)255, (byte)255, (byte)255)));

        var result = await Intake().AcceptAsync(png, CancellationToken.None);

        using var output = TestImages.Decode(result.Image!);
        for (var y = 10; y < output.Height; y += 50)
        {
            for (var x = 10; x < output.Width; x += 50)
            {
                Assert.InRange(output.GetPixel(x, y).Red, 50, 205); // 2 or 3 stripes a box: 85, 128 or 170, never 0 or 255
            }
        }
    }

    [Fact]
    public async Task A_photo_within_the_engine_size_keeps_its_size_and_is_re_encoded_without_its_metadata()
    {
        var withGps = TestImages.InsertExif(TestImages.Encode(TestImages.Decode(TestImages.Scaled(TestImages.GraceHopper, 0.5f)), SKEncodedImageFormat.Jpeg), orientation: 1, secret: TestImages.ExifMarkerText);

        var result = await Intake().AcceptAsync(withGps, CancellationToken.None);

        Assert.Equal(IntakeVerdict.Accepted, result.Verdict);
        using var codec = SKCodec.Create(new MemoryStream(result.Image!));
        Assert.Equal((256, 300), (codec.Info.Width, codec.Info.Height));
        Assert.Equal(SKEncodedImageFormat.Jpeg, codec.EncodedFormat);
        Assert.DoesNotContain(TestImages.ExifMarkerText, System.Text.Encoding.ASCII.GetString(result.Image!));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public async Task Each_exif_orientation_is_turned_upright_as_skia_shows_it(ushort orientation)
    {
        // Four quadrants of distinct colours, stored 800x600 (above the engine size, so downscaled too).
        using var stored = new SKBitmap(800, 600);
        using (var canvas = new SKCanvas(stored))
        {
            var quadrants = new[] { SKColors.Red, SKColors.Lime, SKColors.Blue, SKColors.White };
            for (var q = 0; q < 4; q++)
            {
                using var paint = new SKPaint { Color = quadrants[q] };
                canvas.DrawRect(q % 2 * 400, q / 2 * 300, 400, 300, paint);
            }
        }

        var jpeg = TestImages.InsertExif(TestImages.Encode(stored, SKEncodedImageFormat.Jpeg), orientation, secret: TestImages.ExifMarkerText);

        var result = await Intake().AcceptAsync(jpeg, CancellationToken.None);

        using var shown = SKImage.FromEncodedData(jpeg); // applies the EXIF orientation
        using var shownPixels = SKBitmap.FromImage(shown);
        using var output = TestImages.Decode(result.Image!);
        Assert.Equal(shown.Width > shown.Height, output.Width > output.Height);
        Assert.Equal(SKEncodedOrigin.TopLeft, SKCodec.Create(new MemoryStream(result.Image!)).EncodedOrigin);
        foreach (var (fx, fy) in new[] { (0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75) })
        {
            var expected = shownPixels.GetPixel((int)(shown.Width * fx), (int)(shown.Height * fy));
            var actual = output.GetPixel((int)(output.Width * fx), (int)(output.Height * fy));
            Assert.True(Math.Abs(actual.Red - expected.Red) < 16 && Math.Abs(actual.Green - expected.Green) < 16 && Math.Abs(actual.Blue - expected.Blue) < 16,
                $"at ({fx}, {fy}) of the upright photo: {actual}, shown as {expected}");
        }
    }

    [Fact]
    public async Task Transparent_pixels_survive_as_png()
    {
        var transparentStrip = TestImages.WithTransparentStrip(TestImages.Astronaut); // 512x512, the left quarter transparent

        var result = await Intake().AcceptAsync(transparentStrip, CancellationToken.None);

        Assert.Equal(IntakeVerdict.Accepted, result.Verdict);
        using var codec = SKCodec.Create(new MemoryStream(result.Image!));
        Assert.Equal(SKEncodedImageFormat.Png, codec.EncodedFormat);
        using var output = TestImages.Decode(result.Image!);
        Assert.Equal(0, output.GetPixel(output.Width / 10, output.Height / 2).Alpha);
        Assert.Equal(255, output.GetPixel(output.Width * 3 / 4, output.Height / 2).Alpha);
    }

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    public async Task A_truncated_file_is_refused_as_damaged(string format)
    {
        var whole = format == "png"
            ? TestImages.Astronaut
            : TestImages.Encode(TestImages.Decode(TestImages.Astronaut), SKEncodedImageFormat.Jpeg);

        var result = await Intake().AcceptAsync(whole[..(whole.Length / 2)], CancellationToken.None);

        Assert.Equal(IntakeVerdict.NotAnImage, result.Verdict);
        Assert.Contains("truncated", result.Reason);
    }

    [Fact]
    public async Task An_interlaced_png_under_the_full_decode_bound_is_decoded_whole()
    {
        const int width = 600, height = 500; // 300,000 pixels: above the engine size, under the 400,000 bound
        var png = ImageIntakePngWriter.Write(width, height, ImageIntakePngWriter.Rgb, 8, ImageIntakePngWriter.RgbRows(width, (x, y) => Gradient(x, y, width, height)), interlaced: true);

        var result = await Intake().AcceptAsync(png, CancellationToken.None);

        Assert.Equal(IntakeVerdict.Accepted, result.Verdict);
        using var output = TestImages.Decode(result.Image!);
        Assert.InRange((long)output.Width * output.Height, 90_000, EnginePixels);
        AssertShowsGradient(output, width, height, tolerance: 4);
    }

    [Fact]
    public async Task An_interlaced_png_above_the_full_decode_bound_is_refused_as_too_large_with_the_reason()
    {
        const int width = 800, height = 600; // 480,000 pixels: over the 400,000 bound, far under MaxPixels
        var png = ImageIntakePngWriter.Write(width, height, ImageIntakePngWriter.Rgb, 8, ImageIntakePngWriter.RgbRows(width, (x, y) => Gradient(x, y, width, height)), interlaced: true);

        var result = await Intake().AcceptAsync(png, CancellationToken.None);

        Assert.Equal(IntakeVerdict.TooLarge, result.Verdict);
        Assert.Equal((width, height), (result.Width, result.Height));
        Assert.Contains("interlaced PNG", result.Reason);
    }

    [Fact]
    public async Task The_same_png_not_interlaced_is_accepted()
    {
        const int width = 800, height = 600;
        var png = ImageIntakePngWriter.Write(width, height, ImageIntakePngWriter.Rgb, 8, ImageIntakePngWriter.RgbRows(width, (x, y) => Gradient(x, y, width, height)));

        Assert.Equal(IntakeVerdict.Accepted, (await Intake().AcceptAsync(png, CancellationToken.None)).Verdict);
    }

    [Fact]
    public async Task An_animated_gif_is_accepted_from_its_first_frame()
    {
        var result = await Intake().AcceptAsync(TestImages.Read("grace_then_coffee.gif"), CancellationToken.None);

        Assert.Equal(IntakeVerdict.Accepted, result.Verdict);
        Assert.NotNull(SKCodec.Create(new MemoryStream(result.Image!)));
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("text")]
    [InlineData("random")]
    public async Task Empty_or_garbage_bytes_are_not_an_image(string kind)
    {
        var bytes = kind switch
        {
            "empty" => [],
            "text" => "definitely not an image"u8.ToArray(),
            _ => RandomBytes(),
        };

        Assert.Equal(IntakeVerdict.NotAnImage, (await Intake().AcceptAsync(bytes, CancellationToken.None)).Verdict);

        static byte[] RandomBytes()
        {
            var bytes = new byte[64 * 1024];
            new Random(20261202).NextBytes(bytes);
            return bytes;
        }
    }

    [Fact]
    public async Task A_png_too_wide_to_hold_a_few_of_its_rows_is_refused_before_decoding()
    {
        // 20 MP, under MaxPixels, but 200,000 pixels a row: a few rows alone would pass the 400,000-pixel bound.
        // (libpng, inside Skia, refuses rows over 1,000,000 pixels itself.)
        var result = await Intake().AcceptAsync(TestImages.PngHeaderClaiming(200_000, 100), CancellationToken.None);

        Assert.Equal(IntakeVerdict.TooLarge, result.Verdict);
        Assert.Contains("too wide", result.Reason);
    }

    [Fact]
    public async Task A_header_claiming_50000_by_50000_pixels_is_refused_before_decoding()
    {
        var result = await Intake().AcceptAsync(TestImages.PngHeaderClaiming(50_000, 50_000), CancellationToken.None);

        Assert.Equal(IntakeVerdict.TooLarge, result.Verdict);
        Assert.Equal((50_000, 50_000), (result.Width, result.Height));
    }
}
