using FaceSwap.ContentSafety;
using Xunit.Abstractions;

namespace FaceSwap.Tests.Safety;

/// <summary>Rewrites TestData/safety/classifier-positive-noise.png from its generator, when asked to.</summary>
public sealed class SafetyFixtureTests(ITestOutputHelper output)
{
    private const string WriteVariable = "FACESWAP_WRITE_SAFETY_FIXTURE";

    [Fact]
    public void The_fixture_is_regenerated_into_the_source_tree_when_asked()
    {
        if (Environment.GetEnvironmentVariable(WriteVariable) != "1")
        {
            // The hill climb takes minutes: the suite reads the committed PNG instead (ContentSafetyGateTests).
            output.WriteLine($"not regenerated: set {WriteVariable}=1 to rewrite the fixture");
            return;
        }

        using var classifier = new NsfwClassifier(NsfwClassifier.DefaultModelPath);
        var (png, score, steps) = SafetyFixtureGenerator.Generate(classifier);

        Assert.True(score >= SafetyFixtureGenerator.Target, $"the climb stopped at {score:0.0000} after {steps} steps");
        var target = Deployment.RepositoryFiles.PathOf("FaceSwap.Tests", "TestData", "safety", "classifier-positive-noise.png");
        File.WriteAllBytes(target, png);
        output.WriteLine($"wrote {target}: {png.Length} bytes, score {score:0.0000} after {steps} steps");
    }
}
