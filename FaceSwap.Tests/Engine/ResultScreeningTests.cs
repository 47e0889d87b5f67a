using FaceSwap.ContentSafety;
using SkiaSharp;
using Xunit.Abstractions;

namespace FaceSwap.Tests.Engine;

/// <summary>
/// The content-safety screen of an engine's result decodes a large JPEG at a reduced size (the model sees 224 x 224
/// either way): the scores must be those of the full-size decode, and the decode must really be smaller.
/// </summary>
public sealed class ResultScreeningTests(NsfwClassifierTests.Model model, ITestOutputHelper output) : IClassFixture<NsfwClassifierTests.Model>
{
    [Theory]
    [InlineData("grace_hopper.jpg", 3.7f)]
    [InlineData("clm_kim1_crop.jpg", 6f)]
    [InlineData("chelsea.png", 5f)]
    public void A_large_jpeg_result_is_decoded_small_and_scored_as_the_full_size_image(string photo, float upscale)
    {
        var result = TestImages.Scaled(TestImages.Read(photo), upscale, SKEncodedImageFormat.Jpeg);
        using var full = TestImages.Decode(result);

        using var screened = NsfwClassifier.DecodeForScreening(result);
        var fromReduced = model.Classifier.Classify(result);
        var fromFull = model.Classifier.Classify(full);

        output.WriteLine($"{photo} x{upscale}: {full.Width}x{full.Height} decoded at {screened.Width}x{screened.Height}; reduced {fromReduced}; full {fromFull}");
        Assert.InRange(screened.Width, 2 * NsfwClassifier.InputSize, full.Width / 2);
        Assert.InRange(screened.Height, 2 * NsfwClassifier.InputSize, full.Height / 2);
        float[] reduced = [fromReduced.Drawing, fromReduced.Hentai, fromReduced.Neutral, fromReduced.Porn, fromReduced.Sexy];
        float[] whole = [fromFull.Drawing, fromFull.Hentai, fromFull.Neutral, fromFull.Porn, fromFull.Sexy];
        Assert.All(reduced.Zip(whole), pair => Assert.InRange(pair.First - pair.Second, -0.03f, 0.03f));
    }

    [Fact]
    public void A_result_under_twice_the_model_input_is_decoded_at_its_own_size()
    {
        var result = TestImages.Read("clm_kim1_crop.jpg");
        using var full = TestImages.Decode(result);

        using var screened = NsfwClassifier.DecodeForScreening(result);

        Assert.Equal((full.Width, full.Height), (screened.Width, screened.Height));
    }
}
