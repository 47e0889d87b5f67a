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
            answer = (500, """{"message":"script exhausted"}""");
        }

        return Results.Content(answer.Json, "application/json", statusCode: answer.Status);
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
