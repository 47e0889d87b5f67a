using FaceSwap.Contracts;
using FaceSwap.Processor.Engines;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace FaceSwap.Tests.Engine;

/// <summary>The hosted engine against a local fake of API.market's HTTP contract, including its error answers.</summary>
public sealed class MagicApiEngineTests : IAsyncLifetime
{
    private FakeMagicApi fake = null!;
    private IHost host = null!;

    private static readonly Uri FaceUrl = new("https://bot.example/files/face?sig=abc");
    private static readonly Uri TargetUrl = new("https://bot.example/files/target?sig=def");

    public async Task InitializeAsync()
    {
        fake = await FakeMagicApi.StartAsync();
        fake.OutputImage = TestImages.Read("astronaut.png");
        host = BuildHost(fake.ApiBase.AbsoluteUri, deadline: "00:00:03");
    }

    private static IHost BuildHost(string baseUrl, string deadline, bool withServiceDefaults = false)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        if (withServiceDefaults)
        {
            // The processor adds a standard resilience handler to every HttpClient; the engine's client must not nest two.
            builder.AddServiceDefaults();
        }

        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FaceSwap:Engine"] = "magicapi",
            ["MagicApi:Key"] = "test-key",
            ["MagicApi:BaseUrl"] = baseUrl,
            ["MagicApi:PollInterval"] = "00:00:00.020",
            ["MagicApi:RetryBaseDelay"] = "00:00:00.010",
            ["MagicApi:Deadline"] = deadline,
        });
        builder.AddFaceSwapEngine();
        return builder.Build();
    }

    public async Task DisposeAsync()
    {
        host.Dispose();
        await fake.DisposeAsync();
    }

    private IFaceSwapEngine Engine => host.Services.GetRequiredService<IFaceSwapEngine>();

    private static SwapRequest Request(TargetFaceSelection? selection = null, Uri? face = null, Uri? target = null) =>
        new(new EngineImage(new byte[] { 1 }, face ?? FaceUrl), new EngineImage(new byte[] { 2 }, target ?? TargetUrl),
            new SwapOptions(selection ?? TargetFaceSelection.Largest, ImageFormat.Png));

    private void ScriptSuccess()
    {
        fake.RunAnswers.Enqueue((200, """{"request_id":"job-1"}"""));
        fake.ResultAnswers.Enqueue((200, """{"status":"processing"}"""));
        fake.ResultAnswers.Enqueue((200, $$"""{"status":"done","output":"{{fake.OutputUrl}}"}"""));
    }

    [Fact]
    public async Task Submits_urls_polls_until_done_and_downloads_the_output()
    {
        ScriptSuccess();

        var output = await Engine.SwapAsync(Request(TargetFaceSelection.At(1)), CancellationToken.None);

        Assert.Equal("image/png", output.ContentType);
        Assert.NotNull(SkiaSharp.SKBitmap.Decode(output.Image));
        var requests = fake.Requests.ToArray();
        Assert.Equal(3, requests.Length);
        Assert.All(requests, r => Assert.Equal("test-key", r.Key));
        var run = requests[0].Body!;
        Assert.Equal(TargetUrl.AbsoluteUri, (string?)run["target_url"]);
        Assert.Equal(FaceUrl.AbsoluteUri, (string?)run["swap_url"]);
        Assert.Equal(1, (int?)run["target_face_index"]);
        Assert.Equal("job-1", (string?)requests[1].Body!["request_id"]);
    }

    [Fact]
    public async Task A_rate_limited_submit_and_failing_polls_are_retried()
    {
        fake.RunAnswers.Enqueue((429, """{"message":"slow down"}"""));
        fake.RunAnswers.Enqueue((200, """{"request_id":"job-1"}"""));
        fake.ResultAnswers.Enqueue((503, """{"message":"busy"}"""));
        fake.ResultAnswers.Enqueue((200, $$"""{"status":"done","output":"{{fake.OutputUrl}}"}"""));

        var output = await Engine.SwapAsync(Request(), CancellationToken.None);

        Assert.NotEmpty(output.Image);
        Assert.Equal(2, fake.Requests.Count(r => r.Path.EndsWith("/run", StringComparison.Ordinal)));
        Assert.Equal(2, fake.Requests.Count(r => r.Path.EndsWith("/result/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_submit_that_may_have_started_a_paid_job_is_not_sent_again()
    {
        // A 5xx after the request went out: the provider may have started (and will charge for) the job.
        fake.RunAnswers.Enqueue((503, """{"message":"busy"}"""));
        ScriptSuccess();

        var error = await Assert.ThrowsAsync<FaceSwapException>(() => Engine.SwapAsync(Request(), CancellationToken.None));

        Assert.Equal(SwapFailureReason.EngineUnavailable, error.Reason); // transient: the queue decides about another try
        Assert.Equal(1, fake.Requests.Count(r => r.Path.EndsWith("/run", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(401, SwapFailureReason.EngineUnavailable, "MagicApi:Key")]
    [InlineData(400, SwapFailureReason.UnsupportedImage, "bad url")]
    [InlineData(404, SwapFailureReason.EngineError, "not found")]
    [InlineData(500, SwapFailureReason.EngineUnavailable, "MagicAPI failed")]
    public async Task Error_answers_map_to_clear_reasons(int status, SwapFailureReason reason, string messagePart)
    {
        for (var i = 0; i < 5; i++)
        {
            fake.RunAnswers.Enqueue((status, """{"message":"bad url"}"""));
        }

        var error = await Assert.ThrowsAsync<FaceSwapException>(() => Engine.SwapAsync(Request(), CancellationToken.None));

        Assert.Equal(reason, error.Reason);
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_failing_api_is_called_once_plus_the_configured_retries(bool withServiceDefaults)
    {
        using var engineHost = BuildHost(fake.ApiBase.AbsoluteUri, deadline: "00:00:03", withServiceDefaults);
        fake.RunAnswers.Enqueue((200, """{"request_id":"job-1"}"""));
        for (var i = 0; i < 50; i++)
        {
            fake.ResultAnswers.Enqueue((500, """{"message":"down"}"""));
        }

        await Assert.ThrowsAsync<FaceSwapException>(() => engineHost.Services.GetRequiredService<IFaceSwapEngine>().SwapAsync(Request(), CancellationToken.None));

        Assert.Equal(1 + 3, fake.Requests.Count(r => r.Path.EndsWith("/result/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Failed_job_reports_the_providers_reason()
    {
        fake.RunAnswers.Enqueue((200, """{"request_id":"job-2"}"""));
        fake.ResultAnswers.Enqueue((200, """{"status":"failed","message":"No face detected in swap image"}"""));

        var error = await Assert.ThrowsAsync<FaceSwapException>(() => Engine.SwapAsync(Request(), CancellationToken.None));

        Assert.Equal(SwapFailureReason.NoFaceInTarget, error.Reason);
        Assert.Contains("No face detected", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_that_never_finishes_times_out()
    {
        using var impatient = BuildHost(fake.ApiBase.AbsoluteUri, deadline: "00:00:00.300");
        fake.RunAnswers.Enqueue((200, """{"request_id":"job-3"}"""));
        for (var i = 0; i < 200; i++)
        {
            fake.ResultAnswers.Enqueue((200, """{"status":"processing"}"""));
        }

        var error = await Assert.ThrowsAsync<FaceSwapException>(() =>
            impatient.Services.GetRequiredService<IFaceSwapEngine>().SwapAsync(Request(), CancellationToken.None));

        Assert.Equal(SwapFailureReason.Timeout, error.Reason);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task Without_public_urls_the_engine_refuses_clearly_and_calls_nothing()
    {
        var request = new SwapRequest(new EngineImage(new byte[] { 1 }), new EngineImage(new byte[] { 2 }, TargetUrl), SwapOptions.Default);

        var error = await Assert.ThrowsAsync<FaceSwapException>(() => Engine.SwapAsync(request, CancellationToken.None));

        Assert.Equal(SwapFailureReason.EngineUnavailable, error.Reason);
        Assert.Contains("PublicUrl", error.Message, StringComparison.Ordinal);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task Telegram_file_urls_are_never_sent()
    {
        var telegram = new Uri("https://api.telegram.org/file/bot123:ABC/photos/file_1.jpg");

        var error = await Assert.ThrowsAsync<FaceSwapException>(() => Engine.SwapAsync(Request(face: telegram), CancellationToken.None));

        Assert.Contains("Telegram", error.Message, StringComparison.Ordinal);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task Health_is_healthy_when_the_api_answers_and_unhealthy_when_it_does_not()
    {
        Assert.Equal(HealthStatus.Healthy, (await Engine.CheckHealthAsync(CancellationToken.None)).Status);

        using var unreachable = BuildHost("http://127.0.0.1:9/api/", deadline: "00:00:01");
        var health = await unreachable.Services.GetRequiredService<IFaceSwapEngine>().CheckHealthAsync(CancellationToken.None);
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
    }
}
