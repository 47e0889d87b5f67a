using FaceSwap.ContentSafety;
using FaceSwap.Processor.Engines.Local;
using SkiaSharp;
using Xunit.Abstractions;

namespace FaceSwap.Tests.Engine;

/// <summary>
/// The content-safety classifier on the ordinary test photos. There are no explicit images in the repository (and
/// none may be fetched), so these tests pin the false-refusal side: ordinary photos and their variants must pass the
/// default threshold. The true-positive side rests on nsfwjs's own evaluation.
/// </summary>
public sealed class NsfwClassifierTests(NsfwClassifierTests.Model model, ITestOutputHelper output) : IClassFixture<NsfwClassifierTests.Model>
{
    private static readonly string[] Photos =
        ["astronaut.png", "grace_hopper.jpg", "clm_obama4_crop.jpg", "clm_kim1_crop.jpg", "clm_walter2_crop.jpg", "clm_chuck_crop.jpg",
         "clm_bieber_small.jpg", "coffee.png", "chelsea.png"];

    private static readonly string[] Variants = ["as is", "mirrored", "centre half", "top-left quarter", "quarter size", "triple size", "turned 90", "grey"];

    public static TheoryData<string, string> OrdinaryPhotos()
    {
        var data = new TheoryData<string, string>();
        foreach (var photo in Photos)
        {
            foreach (var variant in Variants)
            {
                data.Add(photo, variant);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OrdinaryPhotos))]
    public void An_ordinary_photo_is_not_refused_at_the_default_threshold(string photo, string variant)
    {
        var scores = model.Classifier.Classify(Variant(TestImages.Read(photo), variant));

        output.WriteLine($"{photo} {variant}: {scores}; explicit {scores.Explicit:0.0000}");
        Assert.True(new ContentSafetyOptions().Judge(scores).IsSafe, $"{photo} ({variant}) would be refused: {scores}");
    }

    [Theory]
    [InlineData("astronaut.png")]
    [InlineData("clm_kim1_crop.jpg")]
    [InlineData("coffee.png")]
    public void The_scores_are_a_probability_vector(string photo)
    {
        var scores = model.Classifier.Classify(TestImages.Read(photo));

        float[] values = [scores.Drawing, scores.Hentai, scores.Neutral, scores.Porn, scores.Sexy];
        Assert.All(values, p => Assert.InRange(p, 0f, 1f));
        Assert.Equal(1.0, values.Sum(p => (double)p), 4);
    }

    [Fact]
    public void A_portrait_is_neutral_and_the_cat_is_not_explicit()
    {
        // Sanity of the class order: a swapped index (say Neutral and Porn) would fail here.
        var portrait = model.Classifier.Classify(TestImages.GraceHopper);
        var cat = model.Classifier.Classify(TestImages.Chelsea);

        Assert.True(portrait.Neutral > 0.5f, $"portrait: {portrait}");
        Assert.True(cat.Explicit < 0.1f, $"cat: {cat}");
    }

    [Fact]
    public void The_same_image_gets_the_same_scores_every_time_and_from_either_entry_point()
    {
        var encoded = TestImages.Astronaut;
        using var decoded = TestImages.Decode(encoded);

        var first = model.Classifier.Classify(encoded);
        var again = model.Classifier.Classify(encoded);
        var fromBitmap = model.Classifier.Classify(decoded);

        Assert.Equal(first, again);
        Assert.Equal(first, fromBitmap);
    }

    [Fact]
    public void Classifying_from_several_threads_gives_the_single_threaded_scores()
    {
        var expected = Photos.ToDictionary(p => p, p => model.Classifier.Classify(TestImages.Read(p)));

        var results = Photos.Concat(Photos).AsParallel().WithDegreeOfParallelism(4)
            .Select(p => (Photo: p, Scores: model.Classifier.Classify(TestImages.Read(p)))).ToArray();

        Assert.All(results, r => Assert.Equal(expected[r.Photo], r.Scores));
    }

    [Fact]
    public void A_file_that_is_not_an_image_fails_with_a_clear_error()
    {
        var text = "%PDF-1.4 this is not a photo"u8.ToArray();

        var error = Assert.Throws<InvalidDataException>(() => model.Classifier.Classify(text));

        Assert.Contains("not an image", error.Message);
    }

    [Fact]
    public void A_missing_or_wrong_model_file_fails_at_construction()
    {
        Assert.Throws<FileNotFoundException>(() => new NsfwClassifier(Path.Combine(AppContext.BaseDirectory, "Models", "missing.onnx")));
        var error = Assert.Throws<InvalidDataException>(() => new NsfwClassifier(FaceMeshLandmarker.DefaultModelPath));
        Assert.Contains("not the nsfwjs classifier", error.Message);
    }

    [Theory]
    [InlineData(0.5f, 0.49f, true)]
    [InlineData(0.3f, 0.1f, false)]
    [InlineData(0.0f, 0.0f, false)]
    public void The_gate_adds_porn_and_hentai_and_ignores_sexy(float porn, float hentai, bool refusedAtHalf)
    {
        var options = new ContentSafetyOptions { PornThreshold = 0.9, HentaiThreshold = 0.9, ExplicitThreshold = 0.5 };
        var sexy = 1f - porn - hentai;

        Assert.Equal(!refusedAtHalf, options.Judge(new NsfwScores(Drawing: 0, Hentai: hentai, Neutral: 0, Porn: porn, Sexy: sexy)).IsSafe);
    }

    private static readonly SKSamplingOptions Sampling = new(SKFilterMode.Linear);

    private static byte[] Variant(byte[] encoded, string variant)
    {
        using var probe = TestImages.Decode(encoded);
        int w = probe.Width, h = probe.Height;
        return variant switch
        {
            "as is" => encoded,
            "mirrored" => TestImages.Transform(encoded, w, h, (canvas, image) =>
            {
                canvas.Scale(-1, 1, w / 2f, 0);
                canvas.DrawImage(image, 0, 0, Sampling);
            }),
            "centre half" => TestImages.Transform(encoded, w / 2, h / 2, (canvas, image) =>
                canvas.DrawImage(image, SKRect.Create(w / 4f, h / 4f, w / 2f, h / 2f), SKRect.Create(0, 0, w / 2f, h / 2f), Sampling)),
            "top-left quarter" => TestImages.Transform(encoded, w / 2, h / 2, (canvas, image) => canvas.DrawImage(image, 0, 0, Sampling)),
            "quarter size" => TestImages.Scaled(encoded, 0.25f),
            "triple size" => TestImages.Scaled(encoded, 3f, SKEncodedImageFormat.Jpeg),
            "turned 90" => TestImages.Transform(encoded, h, w, (canvas, image) =>
            {
                canvas.Translate(h, 0);
                canvas.RotateDegrees(90);
                canvas.DrawImage(image, 0, 0, Sampling);
            }),
            "grey" => TestImages.Greyscale(encoded),
            _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "unknown variant"),
        };
    }

    /// <summary>One classifier for the class, as the processor loads one for its lifetime.</summary>
    public sealed class Model : IDisposable
    {
        public NsfwClassifier Classifier { get; } = new(NsfwClassifier.DefaultModelPath);

        public void Dispose() => Classifier.Dispose();
    }
}
