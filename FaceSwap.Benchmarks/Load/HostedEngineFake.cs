using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FaceSwap.Benchmarks.Load;

/// <summary>
/// MagicAPI's HTTP contract on loopback, for the fault suite (the tests have their own scripted fake): a submit
/// (<c>POST image/run</c>) fetches both photos from the bot API's signed URLs as the real service does, and the job
/// then reports "processing" for <see cref="JobDuration"/> before "done" with an output URL (the target itself).
/// It counts submits per target photo, which is one per job: a job run twice is submitted twice.
/// </summary>
public sealed class HostedEngineFake : IAsyncDisposable
{
    public const string ApiPath = "api/v1/magicapi/faceswap-capix/";
    public const string Key = "fault-suite-magicapi-key";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, HostedJob> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _submitsPerTarget = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _problems = new();
    private int _lastId;

    private HostedEngineFake(WebApplication app, TimeSpan jobDuration)
    {
        _app = app;
        JobDuration = jobDuration;
    }

    public TimeSpan JobDuration { get; }

    /// <summary>The value for <c>MagicApi:BaseUrl</c>.</summary>
    public Uri ApiBase { get; private set; } = null!;

    /// <summary>Submits per target photo (the path of its signed URL, which names the job's blob).</summary>
    public IReadOnlyDictionary<string, int> SubmitsPerTarget => _submitsPerTarget;

    /// <summary>What went wrong on the fake's side (a photo URL that did not work, an unknown request id).</summary>
    public IReadOnlyCollection<string> Problems => _problems;

    public static async Task<HostedEngineFake> StartAsync(TimeSpan jobDuration)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseSetting("urls", "http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddHttpClient();
        var app = builder.Build();
        var fake = new HostedEngineFake(app, jobDuration);
        app.MapMethods("/" + ApiPath, [HttpMethods.Head, HttpMethods.Get], () => Results.Ok());
        app.MapPost("/" + ApiPath + "image/run", (Delegate)fake.SubmitAsync);
        app.MapPost("/" + ApiPath + "image/result/", (Delegate)fake.ResultAsync);
        app.MapGet("/files/{requestId}", (string requestId) =>
            fake._jobs.TryGetValue(requestId, out var job) ? Results.Bytes(job.Target, "image/jpeg") : Results.NotFound());
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.ApiBase = new Uri(new Uri(address + "/"), ApiPath);
        return fake;
    }

    private async Task<IResult> SubmitAsync(HttpContext context, IHttpClientFactory clients)
    {
        if (context.Request.Headers["x-magicapi-key"] != Key)
        {
            return Results.Json(new { message = "invalid key" }, statusCode: StatusCodes.Status401Unauthorized);
        }

        var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var targetUrl = body?["target_url"]?.GetValue<string>();
        var swapUrl = body?["swap_url"]?.GetValue<string>();
        if (!Uri.TryCreate(targetUrl, UriKind.Absolute, out var target) || !Uri.TryCreate(swapUrl, UriKind.Absolute, out var swap))
        {
            _problems.Enqueue("a submit without target_url and swap_url");
            return Results.Json(new { message = "target_url and swap_url are required" }, statusCode: StatusCodes.Status400BadRequest);
        }

        _submitsPerTarget.AddOrUpdate(target.AbsolutePath, 1, (_, n) => n + 1);
        var http = clients.CreateClient();
        byte[] targetBytes;
        try
        {
            targetBytes = await http.GetByteArrayAsync(target, context.RequestAborted);
            _ = await http.GetByteArrayAsync(swap, context.RequestAborted);
        }
        catch (HttpRequestException ex)
        {
            _problems.Enqueue($"a photo URL did not work: {ex.Message}");
            return Results.Json(new { message = "could not download the images" }, statusCode: StatusCodes.Status400BadRequest);
        }

        var id = "fake-" + Interlocked.Increment(ref _lastId);
        _jobs[id] = new HostedJob(targetBytes, DateTimeOffset.UtcNow + JobDuration);
        return Results.Json(new { request_id = id });
    }

    private async Task<IResult> ResultAsync(HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var id = body?["request_id"]?.GetValue<string>() ?? string.Empty;
        if (!_jobs.TryGetValue(id, out var job))
        {
            _problems.Enqueue($"a result poll for unknown request {id}");
            return Results.Json(new { message = "request not found" }, statusCode: StatusCodes.Status404NotFound);
        }

        return DateTimeOffset.UtcNow < job.DoneAt
            ? Results.Json(new { status = "processing" })
            : Results.Json(new { status = "done", output = new Uri(ApiBase, "/files/" + id).AbsoluteUri });
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private sealed record HostedJob(byte[] Target, DateTimeOffset DoneAt);
}
