using FaceSwap.Contracts;
using FaceSwap.Processor.Engines;
using SkiaSharp;

namespace FaceSwap.Tests.Engine;

/// <summary>Each bad input ends in a FaceSwapException with a reason, never a crash.</summary>
[Collection(EngineCollection.Name)]
public sealed class BadInputTests(EngineFixture fixture)
{
    private SwapFailureReason SwapFails(byte[] face, byte[] target, SwapOptions? options = null)
    {
        var exception = Assert.Throws<FaceSwapException>(() =>
            fixture.Engine.Swap(new SwapRequest(new EngineImage(face), new EngineImage(target), options ?? SwapOptions.Default), CancellationToken.None));
        Assert.False(string.IsNullOrWhiteSpace(exception.Message));
        return exception.Reason;
    }

    public static TheoryData<string, SwapFailureReason> BrokenFiles => new()
    {
        { "empty", SwapFailureReason.NotAnImage },
        { "text", SwapFailureReason.NotAnImage },
        { "truncated-jpeg", SwapFailureReason.NotAnImage },
        { "header-50000x50000", SwapFailureReason.ImageTooLarge },
        { "header-7000x7000", SwapFailureReason.ImageTooLarge },
    };

    private static byte[] Broken(string kind) => kind switch
    {
        "empty" => [],
        "text" => "this is not an image, just some text"u8.ToArray(),
        "truncated-jpeg" => TestImages.GraceHopper[..(TestImages.GraceHopper.Length / 2)],
        "header-50000x50000" => TestImages.PngHeaderClaiming(50_000, 50_000),
        "header-7000x7000" => TestImages.PngHeaderClaiming(7_000, 7_000),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void Broken_face_photo_is_refused_with_a_reason(string kind, SwapFailureReason expected) =>
        Assert.Equal(expected, SwapFails(Broken(kind), TestImages.Astronaut));

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void Broken_target_photo_is_refused_with_a_reason(string kind, SwapFailureReason expected) =>
        Assert.Equal(expected, SwapFails(TestImages.GraceHopper, Broken(kind)));

    [Fact]
    public void Huge_header_is_refused_before_any_pixel_is_allocated()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(SwapFailureReason.ImageTooLarge,
            Assert.Throws<FaceSwapException>(() => fixture.Engine.Detect(TestImages.PngHeaderClaiming(50_000, 50_000))).Reason);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000, "the decoder allocated pixel memory for a refused image");
    }

    [Fact]
    public void Photo_without_a_face_is_refused() =>
        Assert.Equal(SwapFailureReason.NoFaceInFacePhoto, SwapFails(TestImages.Coffee, TestImages.Astronaut));

    [Fact]
    public void Target_without_a_face_is_refused() =>
        Assert.Equal(SwapFailureReason.NoFaceInTarget, SwapFails(TestImages.GraceHopper, TestImages.Chelsea));

    [Fact]
    public void Face_smaller_than_the_minimum_is_refused()
    {
        // 120 px wide: the face is found but is about 45 px wide, under the 80 px minimum.
        var tiny = TestImages.Scaled(TestImages.GraceHopper, 120f / 512f);
        Assert.Equal(SwapFailureReason.FaceTooSmall, SwapFails(tiny, TestImages.Astronaut));
        Assert.Empty(fixture.Engine.Detect(tiny));
    }

    [Fact]
    public void Face_index_beyond_the_faces_found_is_refused() =>
        Assert.Equal(SwapFailureReason.FaceIndexOutOfRange,
            SwapFails(TestImages.GraceHopper, TestImages.Astronaut, new SwapOptions(TargetFaceSelection.At(3))));

    [Fact]
    public void Greyscale_photo_is_swapped() => AssertSwaps(TestImages.Greyscale(TestImages.GraceHopper), TestImages.Astronaut);

    [Fact]
    public void Cmyk_jpeg_is_swapped() => AssertSwaps(TestImages.Read("grace_cmyk.jpg"), TestImages.Astronaut);

    [Fact]
    public void Animated_gif_uses_its_first_frame()
    {
        // Frame 1 is a face, frame 2 a coffee cup: a face can only be found in the first frame.
        var gif = TestImages.Read("grace_then_coffee.gif");
        Assert.Single(fixture.Engine.Detect(gif));
        AssertSwaps(gif, TestImages.Astronaut);
    }

    [Fact]
    public void Png_with_alpha_keeps_its_transparency_outside_the_face()
    {
        var target = TestImages.WithTransparentStrip(TestImages.Astronaut);
        var output = fixture.Engine.Swap(new SwapRequest(new EngineImage(TestImages.GraceHopper), new EngineImage(target),
            new SwapOptions(TargetFaceSelection.Largest, ImageFormat.Png)), CancellationToken.None);

        using var result = TestImages.Decode(output.Image);
        Assert.Equal(0, result.GetPixel(10, 10).Alpha);
        Assert.Equal(255, result.GetPixel(500, 10).Alpha);
    }

    [Fact]
    public void Exif_rotation_is_honoured_and_metadata_is_not_copied()
    {
        var sideways = TestImages.SidewaysWithExifOrientation(TestImages.GraceHopper);
        var upright = Assert.Single(fixture.Engine.Detect(TestImages.GraceHopper));

        var rotated = Assert.Single(fixture.Engine.Detect(sideways));
        Assert.InRange(rotated.Box.X, upright.Box.X - 10, upright.Box.X + 10);
        Assert.InRange(rotated.Box.Y, upright.Box.Y - 10, upright.Box.Y + 10);

        var output = fixture.Engine.Swap(new SwapRequest(new EngineImage(TestImages.Astronaut), new EngineImage(sideways), SwapOptions.Default), CancellationToken.None);
        using var codec = SKCodec.Create(new MemoryStream(output.Image));
        Assert.Equal(512, codec.Info.Width);
        Assert.Equal(600, codec.Info.Height);
        Assert.Equal(SKEncodedOrigin.TopLeft, codec.EncodedOrigin);
        Assert.DoesNotContain("Exif", System.Text.Encoding.Latin1.GetString(output.Image), StringComparison.Ordinal);
        Assert.DoesNotContain(TestImages.ExifMarkerText, System.Text.Encoding.Latin1.GetString(output.Image), StringComparison.Ordinal);
    }

    private void AssertSwaps(byte[] face, byte[] target)
    {
        var output = fixture.Engine.Swap(new SwapRequest(new EngineImage(face), new EngineImage(target), SwapOptions.Default), CancellationToken.None);
        Assert.Equal(1, output.FacesSwapped);
        Assert.Equal("image/jpeg", output.ContentType);
        Assert.NotNull(SKBitmap.Decode(output.Image));
    }
}
