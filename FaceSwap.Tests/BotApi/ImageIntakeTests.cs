using FaceSwap.BotApi.Media;
using FaceSwap.Tests.Engine;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace FaceSwap.Tests.BotApi;

public sealed class ImageIntakeTests
{
    private static readonly ImageIntake Intake = new(Options.Create(new ImageIntakeOptions { MaxPixels = 40_000_000, EnginePixels = 100_000 }));

    [Fact]
    public void A_photo_within_the_engine_size_is_kept_byte_for_byte()
    {
        var small = TestImages.Scaled(TestImages.GraceHopper, 0.5f);

        var result = Intake.Accept(small);

        Assert.Equal(IntakeVerdict.Accepted, result.Verdict);
        Assert.Same(small, result.Image);
    }

    [Fact]
    public void A_large_sideways_photo_is_downscaled_upright_and_loses_its_metadata()
    {
        var sideways = TestImages.SidewaysWithExifOrientation(TestImages.GraceHopper); // 600x512 stored, shown 512x600

        var result = Intake.Accept(sideways);

        Assert.Equal(IntakeVerdict.Accepted, result.Verdict);
        using var codec = SKCodec.Create(new MemoryStream(result.Image!));
        Assert.True(codec.Info.Width < codec.Info.Height, "the downscaled photo should be upright (portrait), as it is shown");
        Assert.InRange((long)codec.Info.Width * codec.Info.Height, 90_000, 100_000);
        Assert.Equal(SKEncodedOrigin.TopLeft, codec.EncodedOrigin);
        Assert.DoesNotContain(TestImages.ExifMarkerText, System.Text.Encoding.ASCII.GetString(result.Image!));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Empty_or_garbage_bytes_are_not_an_image(int kind)
    {
        var bytes = kind == 0 ? [] : "definitely not an image"u8.ToArray();

        Assert.Equal(IntakeVerdict.NotAnImage, Intake.Accept(bytes).Verdict);
    }

    [Fact]
    public void A_header_claiming_50000_by_50000_pixels_is_refused_before_decoding()
    {
        var result = Intake.Accept(TestImages.PngHeaderClaiming(50_000, 50_000));

        Assert.Equal(IntakeVerdict.TooLarge, result.Verdict);
        Assert.Equal((50_000, 50_000), (result.Width, result.Height));
    }
}
