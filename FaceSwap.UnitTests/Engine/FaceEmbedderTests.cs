using FaceSwap.Benchmarks.Quality;
using FaceSwap.Processor.Engines.Local;
using SkiaSharp;

namespace FaceSwap.Tests.Engine;

public sealed class FaceEmbedderTests(FaceMeshLandmarkerTests.Models models) : IClassFixture<FaceMeshLandmarkerTests.Models>
{
    private static readonly string[] People = ["astronaut.png", "grace_hopper.jpg", "clm_obama4_crop.jpg", "clm_kim1_crop.jpg", "clm_walter2_crop.jpg", "clm_chuck_crop.jpg", "clm_bieber_small.jpg"];

    public static TheoryData<string> Models() => new(FaceEmbedderModel.All.Select(m => m.FileName));

    [Theory]
    [MemberData(nameof(Models))]
    public void The_same_person_mirrored_or_rescaled_scores_higher_than_any_two_different_people(string fileName)
    {
        using var embedder = new FaceEmbedder(FaceEmbedderModel.All.Single(m => m.FileName == fileName));
        var vectors = People.ToDictionary(name => name, name => Embed(embedder, TestImages.Read(name)));

        var different = new List<float>();
        for (var i = 0; i < People.Length; i++)
        {
            for (var j = i + 1; j < People.Length; j++)
            {
                different.Add(FaceEmbedder.Cosine(vectors[People[i]], vectors[People[j]]));
            }
        }

        // A clear margin, not a tie: measured 0.90-1.00 for the same face against at most 0.28 (mobileface) and
        // 0.51 (faceres) for two different people.
        var bar = different.Max() + 0.2f;
        foreach (var name in new[] { "astronaut.png", "grace_hopper.jpg", "clm_kim1_crop.jpg" })
        {
            var encoded = TestImages.Read(name);
            var mirrored = Embed(embedder, Mirrored(encoded));
            var rescaled = Embed(embedder, TestImages.Scaled(encoded, 0.6f));
            Assert.True(FaceEmbedder.Cosine(vectors[name], mirrored) > bar,
                $"{name} mirrored: {FaceEmbedder.Cosine(vectors[name], mirrored):0.000}, two different people up to {different.Max():0.000}");
            Assert.True(FaceEmbedder.Cosine(vectors[name], rescaled) > bar,
                $"{name} rescaled: {FaceEmbedder.Cosine(vectors[name], rescaled):0.000}, two different people up to {different.Max():0.000}");
        }
    }

    [Fact]
    public void Vectors_are_unit_length_and_cosine_is_one_for_the_same_vector()
    {
        using var embedder = new FaceEmbedder(FaceEmbedderModel.FaceRes);
        var vector = Embed(embedder, TestImages.GraceHopper);

        Assert.Equal(1f, MathF.Sqrt(vector.Sum(v => v * v)), 4);
        Assert.Equal(1f, FaceEmbedder.Cosine(vector, vector), 4);
        Assert.Equal(-1f, FaceEmbedder.Cosine(vector, vector.Select(v => -v).ToArray()), 4);
    }

    [Fact]
    public void Alignment_puts_the_five_points_on_the_template()
    {
        using var image = TestImages.Decode(TestImages.Astronaut);
        var five = models.Landmarker.Locate(image, models.SingleFace(image)).FivePoints();
        var template = FaceEmbedderAlignment.Template(112, 1f);

        var matrix = FaceEmbedderAlignment.Fit(five.ToArray(), template);

        var eyes = matrix.MapPoints([five.RightEye, five.LeftEye]);
        Assert.True(SKPoint.Distance(eyes[0], template[0]) < 4 && SKPoint.Distance(eyes[1], template[1]) < 4, $"eyes land at {eyes[0]}, {eyes[1]}");
        Assert.True(matrix.ScaleX > 0, "no reflection");
    }

    private float[] Embed(FaceEmbedder embedder, byte[] encoded)
    {
        using var image = TestImages.Decode(encoded);
        var mesh = models.Landmarker.Locate(image, models.SingleFace(image));
        return embedder.Embed(image, mesh.FivePoints());
    }

    private static byte[] Mirrored(byte[] encoded)
    {
        using var probe = TestImages.Decode(encoded);
        return TestImages.Transform(encoded, probe.Width, probe.Height, (canvas, source) =>
        {
            canvas.Scale(-1, 1, probe.Width / 2f, 0);
            canvas.DrawImage(source, 0, 0, new SKSamplingOptions(SKFilterMode.Linear), null);
        });
    }
}
