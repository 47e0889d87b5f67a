using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FaceSwap.Tests.Engine;

/// <summary>
/// A local stand-in for API.market's face-swap contract: POST /image/run, POST /image/result/, and the output image.
/// Each endpoint answers from a script (status code and JSON); every request is recorded.
/// </summary>
public sealed class FakeMagicApi : IAsyncDisposable
{
    private readonly WebApplication app;

    public ConcurrentQueue<(int Status, string Json)> RunAnswers { get; } = new();
    public ConcurrentQueue<(int Status, string Json)> ResultAnswers { get; } = new();
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();
    public byte[] OutputImage { get; set; } = [];

    /// <summary>
    /// With no scripted answer left, behave like the provider: a submit fetches both input URLs (as the real service
    /// does, so unsigned or expired URLs fail here too), and the "swap" is the target photo itself, done at once.
    /// </summary>
    public bool ActLikeTheProvider { get; set; }

    /// <summary>What fetching each input URL answered, in order (status code and bytes).</summary>
    public ConcurrentQueue<(Uri Url, int Status, int Bytes)> InputFetches { get; } = new();

    public Uri BaseUrl { get; }

    public sealed record RecordedRequest(string Path, string? Key, JsonNode? Body);

    private FakeMagicApi(WebApplication app, Uri baseUrl)
    {
        this.app = app;
        BaseUrl = baseUrl;
    }

    public Uri OutputUrl => new(BaseUrl, "files/output.png");

    public static async Task<FakeMagicApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseSetting("urls", "http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeMagicApi? fake = null;
        app.MapPost("/api/v1/magicapi/faceswap-capix/image/run", (Delegate)((HttpContext context) => Answer(fake!, context, fake!.RunAnswers)));
        app.MapPost("/api/v1/magicapi/faceswap-capix/image/result/", (Delegate)((HttpContext context) => Answer(fake!, context, fake!.ResultAnswers)));
        app.MapGet("/files/output.png", () => Results.Bytes(fake!.OutputImage, "image/png"));
        app.MapMethods("/api/v1/magicapi/faceswap-capix/", ["HEAD"], () => Results.Ok());
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake = new FakeMagicApi(app, new Uri(address + "/"));
        return fake;
    }

    public Uri ApiBase => new(BaseUrl, "api/v1/magicapi/faceswap-capix");

    private static async Task<IResult> Answer(FakeMagicApi fake, HttpContext context, ConcurrentQueue<(int Status, string Json)> script)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body);
        fake.Requests.Enqueue(new RecordedRequest(context.Request.Path, context.Request.Headers["x-magicapi-key"].FirstOrDefault(), body));
        if (!script.TryDequeue(out var answer))
        {
            answer = fake.ActLikeTheProvider ? await fake.ProviderAnswerAsync(context.Request.Path, body) : (500, """{"message":"script exhausted"}""");
        }

        return Results.Content(answer.Json, "application/json", statusCode: answer.Status);
    }

    private async Task<(int Status, string Json)> ProviderAnswerAsync(string path, JsonNode? body)
    {
        if (!path.EndsWith("/run", StringComparison.Ordinal))
        {
            return (200, $$"""{"status":"done","output":"{{OutputUrl}}"}""");
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        byte[]? target = null;
        foreach (var field in new[] { "swap_url", "target_url" })
        {
            var url = new Uri(body?[field]?.GetValue<string>() ?? throw new InvalidOperationException($"no {field}"));
            using var response = await http.GetAsync(url);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            InputFetches.Enqueue((url, (int)response.StatusCode, bytes.Length));
            if (!response.IsSuccessStatusCode)
            {
                return (400, $$"""{"message":"could not fetch {{field}} ({{(int)response.StatusCode}})"}""");
            }

            target = bytes;
        }

        OutputImage = target!;
        return (200, $$"""{"request_id":"{{Guid.NewGuid():N}}"}""");
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
