using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using FaceSwap.Contracts;
using Microsoft.Extensions.Options;

namespace FaceSwap.Processor.Engines.MagicApi;

/// <summary>The API.market face-swap contract: submit a job, poll its result, download the output.</summary>
public sealed class MagicApiClient(HttpClient http, IOptions<MagicApiOptions> options)
{
    private readonly MagicApiOptions settings = options.Value;

    public async Task<string> SubmitAsync(Uri targetUrl, Uri swapUrl, int? targetFaceIndex, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["target_url"] = targetUrl.AbsoluteUri, ["swap_url"] = swapUrl.AbsoluteUri };
        if (targetFaceIndex is { } index)
        {
            body["target_face_index"] = index;
        }

        var answer = await PostAsync(settings.RunPath, body, cancellationToken).ConfigureAwait(false);
        return FindString(answer, "request_id", "requestId", "id")
            ?? throw new FaceSwapException(SwapFailureReason.EngineError, "MagicAPI accepted the job but returned no request_id");
    }

    public async Task<MagicApiResult> GetResultAsync(string requestId, CancellationToken cancellationToken)
    {
        var answer = await PostAsync(settings.ResultPath, new JsonObject { ["request_id"] = requestId }, cancellationToken).ConfigureAwait(false);
        var status = (FindString(answer, "status", "state") ?? "unknown").Trim().ToLowerInvariant();
        var output = FindString(answer, "output", "output_url", "image_url", "result_url", "result", "url");
        var message = FindString(answer, "message", "error", "detail");
        return new MagicApiResult(status, Uri.TryCreate(output, UriKind.Absolute, out var url) ? url : null, message);
    }

    public async Task<byte[]> DownloadAsync(Uri output, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(output, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new FaceSwapException(SwapFailureReason.EngineError, $"MagicAPI's output image could not be downloaded ({(int)response.StatusCode})");
        }

        var limit = settings.MaxOutputMegabytes * 1024L * 1024L;
        if (response.Content.Headers.ContentLength > limit)
        {
            throw new FaceSwapException(SwapFailureReason.EngineError, "MagicAPI's output image is larger than MagicApi:MaxOutputMegabytes");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                throw new FaceSwapException(SwapFailureReason.EngineError, "MagicAPI's output image is larger than MagicApi:MaxOutputMegabytes");
            }
        }

        return buffer.ToArray();
    }

    /// <summary>A cheap reachability probe for the health check: any HTTP answer means the host is up.</summary>
    public async Task<HttpStatusCode> ProbeAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, string.Empty);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.StatusCode;
    }

    private async Task<JsonNode?> PostAsync(string path, JsonObject body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation(settings.KeyHeader, settings.Key);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException exception)
        {
            throw new FaceSwapException(SwapFailureReason.EngineUnavailable, $"MagicAPI unreachable: {exception.Message}", exception);
        }
        catch (TimeoutException exception)
        {
            throw new FaceSwapException(SwapFailureReason.EngineUnavailable, "MagicAPI did not answer in time", exception);
        }
        catch (Polly.Timeout.TimeoutRejectedException exception)
        {
            throw new FaceSwapException(SwapFailureReason.EngineUnavailable, "MagicAPI did not answer in time", exception);
        }
        catch (Polly.CircuitBreaker.BrokenCircuitException exception)
        {
            throw new FaceSwapException(SwapFailureReason.EngineUnavailable, "MagicAPI is failing; calls are paused for a moment", exception);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            JsonNode? json = null;
            try
            {
                json = string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                // A proxy's HTML error page, say; the status code still tells what happened.
            }

            if (response.IsSuccessStatusCode)
            {
                return json;
            }

            var message = FindString(json, "message", "error", "detail") ?? response.ReasonPhrase ?? "no message";
            var code = (int)response.StatusCode;
            throw code switch
            {
                401 or 403 => new FaceSwapException(SwapFailureReason.EngineUnavailable, $"MagicAPI refused the key ({code}: {message}); check MagicApi:Key"),
                404 => new FaceSwapException(SwapFailureReason.EngineError, $"MagicAPI endpoint or job not found ({code}: {message}); check MagicApi:BaseUrl and paths"),
                429 => new FaceSwapException(SwapFailureReason.EngineUnavailable, $"MagicAPI rate limit still hit after retries ({message})"),
                >= 500 => new FaceSwapException(SwapFailureReason.EngineUnavailable, $"MagicAPI failed ({code}: {message})"),
                _ => new FaceSwapException(ReasonFromMessage(message, SwapFailureReason.UnsupportedImage), $"MagicAPI refused the input ({code}: {message})"),
            };
        }
    }

    internal static SwapFailureReason ReasonFromMessage(string? message, SwapFailureReason fallback) =>
        message is not null && message.Contains("face", StringComparison.OrdinalIgnoreCase) &&
        (message.Contains("no ", StringComparison.OrdinalIgnoreCase) || message.Contains("not found", StringComparison.OrdinalIgnoreCase))
            ? SwapFailureReason.NoFaceInTarget
            : fallback;

    /// <summary>The provider's answers vary in shape; look for the first named string at the top or one level down.</summary>
    private static string? FindString(JsonNode? node, params string[] names)
    {
        if (node is not JsonObject obj)
        {
            return null;
        }

        foreach (var name in names)
        {
            if (obj[name] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text))
            {
                return text;
            }
        }

        foreach (var child in obj.Select(p => p.Value).OfType<JsonObject>())
        {
            var found = FindString(child, names);
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }
}
