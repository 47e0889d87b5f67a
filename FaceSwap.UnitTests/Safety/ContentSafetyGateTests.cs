using FaceSwap.BotApi.Conversation;
using FaceSwap.BotApi.Media;
using FaceSwap.ContentSafety;
using FaceSwap.Tests.Engine;
using FaceSwap.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SkiaSharp;
using Xunit.Abstractions;

namespace FaceSwap.Tests.Safety;

/// <summary>
/// The gate as the services build it (section <c>ContentSafety</c>): the classifier-positive fixture is refused, the
/// ordinary test photos pass, the thresholds come from configuration, and bad settings stop the start.
/// </summary>
public sealed class ContentSafetyGateTests(ITestOutputHelper output)
{
    private static readonly ContentSafetyGate Gate = TestGates.Default;

    [Fact]
    public void The_fixture_is_refused_as_a_document_and_as_the_JPEG_Telegram_makes_of_a_photo()
    {
        var png = SafetyTestImages.ClassifierPositive;
        using var decoded = TestImages.Decode(png);
        var asPhoto = TestImages.Encode(decoded, SKEncodedImageFormat.Jpeg, 87);

        foreach (var verdict in new[] { Gate.Screen(png), Gate.Screen(asPhoto), Gate.Screen(decoded) })
        {
            output.WriteLine(verdict.ToString());
            Assert.False(verdict.IsSafe, verdict.ToString());
            Assert.NotEqual(NsfwClass.None, verdict.Class);
            Assert.True(verdict.Score >= 0.95f, verdict.ToString());
        }
    }

    [Fact]
    public void The_committed_fixture_still_scores_what_its_readme_says()
    {
        var scores = Gate.Screen(SafetyTestImages.ClassifierPositive).Scores!.Value;

        // A model or resize change that moved it would make the refusal tests pass or fail for the wrong reason.
        Assert.InRange(scores.Explicit, 0.965f, 1f);
        Assert.True(scores.Porn > scores.Hentai, scores.ToString());
    }

    [Theory]
    [MemberData(nameof(OrdinaryPhotos))]
    public void An_ordinary_photo_passes_at_the_default_thresholds(string photo)
    {
        var verdict = Gate.Screen(TestImages.Decode(SafetyTestImages.Read(photo)));

        output.WriteLine($"{photo}: {verdict}");
        Assert.True(verdict.IsSafe, $"{photo}: {verdict}");
        Assert.Equal(NsfwClass.None, verdict.Class);
    }

    public static TheoryData<string> OrdinaryPhotos() => new(SafetyTestImages.Ordinary);

    [Fact]
    public async Task Thresholds_come_from_configuration()
    {
        // Above the fixture's score: it passes.
        using (var lenient = await StartAsync(new() { ["ContentSafety:PornThreshold"] = "0.999", ["ContentSafety:ExplicitThreshold"] = "0.999" }))
        {
            var options = lenient.Services.GetRequiredService<IOptions<ContentSafetyOptions>>().Value;
            Assert.Equal(0.999, options.PornThreshold);
            Assert.True(lenient.Services.GetRequiredService<ContentSafetyGate>().Screen(SafetyTestImages.ClassifierPositive).IsSafe);
        }

        // clm_kim1_crop.jpg scores 0.49 explicit: a strict operator's 0.3 refuses it, and names the sum.
        using (var strict = await StartAsync(new() { ["ContentSafety:ExplicitThreshold"] = "0.3" }))
        {
            var verdict = strict.Services.GetRequiredService<ContentSafetyGate>().Screen(TestImages.Read("clm_kim1_crop.jpg"));
            Assert.False(verdict.IsSafe, verdict.ToString());
            Assert.Equal(NsfwClass.Explicit, verdict.Class);
        }

        // Switched off: nothing is classified, so even the fixture passes, and the verdict says it was not looked at.
        using (var off = await StartAsync(new() { ["ContentSafety:Enabled"] = "false" }))
        {
            var gate = off.Services.GetRequiredService<ContentSafetyGate>();
            Assert.False(gate.Enabled);
            Assert.Equal(SafetyVerdict.NotScreened, gate.Screen(SafetyTestImages.ClassifierPositive));
        }
    }

    [Theory]
    [InlineData("ContentSafety:PornThreshold", "1.5", "ContentSafety:PornThreshold must be between 0.05 and 1.")]
    [InlineData("ContentSafety:HentaiThreshold", "0", "ContentSafety:HentaiThreshold must be between 0.05 and 1.")]
    [InlineData("ContentSafety:ExplicitThreshold", "-1", "ContentSafety:ExplicitThreshold must be between 0.05 and 1.")]
    [InlineData("ContentSafety:ModelPath", "/nonexistent/nsfw.onnx", "the content-safety model was not found at ContentSafety:ModelPath")]
    public async Task Invalid_settings_stop_the_start(string key, string value, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(new() { [key] = value }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Intake_refuses_the_fixture_before_encoding_it_and_accepts_an_ordinary_photo()
    {
        var options = Options.Create(new ImageIntakeOptions());
        var intake = new ImageIntake(options, new ImageDecodeSlots(options), Gate, TestMetrics.Create());

        var refused = await intake.AcceptAsync(SafetyTestImages.ClassifierPositive, CancellationToken.None);
        var accepted = await intake.AcceptAsync(TestImages.GraceHopper, CancellationToken.None);

        Assert.Equal(IntakeVerdict.Unsafe, refused.Verdict);
        Assert.Null(refused.Image); // nothing to store
        Assert.Equal((128, 128), (refused.Width, refused.Height));
        Assert.False(refused.Safety!.Value.IsSafe);
        Assert.Equal(IntakeVerdict.Accepted, accepted.Verdict);
        Assert.True(accepted.Safety!.Value.IsSafe);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    [InlineData("es")]
    public void The_refusal_texts_exist_in_every_language(string language)
    {
        var texts = new BotTexts(language);

        Assert.False(string.IsNullOrWhiteSpace(texts["UnsafeContent"]));
        Assert.False(string.IsNullOrWhiteSpace(texts["Reason_UnsafeContent"]));
        if (language != "en")
        {
            Assert.NotEqual(BotTexts.English["UnsafeContent"], texts["UnsafeContent"]);
            Assert.NotEqual(BotTexts.English["Reason_UnsafeContent"], texts["Reason_UnsafeContent"]);
        }
    }

    /// <summary>A host with just the gate's registration, started so that ValidateOnStart runs.</summary>
    private static async Task<IHost> StartAsync(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddContentSafety();
        var host = builder.Build();
        try
        {
            await host.StartAsync();
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }
}
