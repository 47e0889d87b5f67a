using System.Diagnostics;
using FaceSwap.Contracts;
using FaceSwap.Processor.Engines.Local;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceSwap.Processor.Engines.MagicApi;

/// <summary>
/// The hosted engine (API.market "magicapi/faceswap-capix"). It takes public URLs, not bytes, so it needs
/// <see cref="EngineImage.PublicUrl"/>: short-lived signed URLs served by the bot API, never Telegram file URLs
/// (those carry the bot token).
/// </summary>
public sealed class MagicApiFaceSwapEngine(MagicApiClient client, IOptions<MagicApiOptions> options, TimeProvider time, ILogger<MagicApiFaceSwapEngine> logger) : IFaceSwapEngine
{
    public const string EngineName = "magicapi";

    private readonly MagicApiOptions settings = options.Value;

    public string Name => EngineName;

    public async Task<SwapOutput> SwapAsync(SwapRequest request, CancellationToken cancellationToken)
    {
        var faceUrl = RequirePublicUrl(request.Face, "face");
        var targetUrl = RequirePublicUrl(request.Target, "target");
        var faceIndex = request.Options.Selection.Mode == TargetFaceMode.Index ? request.Options.Selection.Index : (int?)null;

        var started = time.GetTimestamp();
        var requestId = await client.SubmitAsync(targetUrl, faceUrl, faceIndex, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("MagicAPI job {RequestId} submitted", requestId);
        while (true)
        {
            if (time.GetElapsedTime(started) > settings.Deadline)
            {
                throw new FaceSwapException(SwapFailureReason.Timeout, $"MagicAPI did not finish job {requestId} within {settings.Deadline.TotalSeconds:0} s");
            }

            await Task.Delay(settings.PollInterval, time, cancellationToken).ConfigureAwait(false);
            var result = await client.GetResultAsync(requestId, cancellationToken).ConfigureAwait(false);
            if (result.IsFailed)
            {
                var message = result.Message ?? "no reason given";
                throw new FaceSwapException(MagicApiClient.ReasonFromMessage(message, SwapFailureReason.EngineError), $"MagicAPI could not swap: {message}");
            }

            if (!result.IsDone)
            {
                continue;
            }

            if (result.Output is null)
            {
                throw new FaceSwapException(SwapFailureReason.EngineError, "MagicAPI reported success but gave no output URL");
            }

            var downloaded = await client.DownloadAsync(result.Output, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("MagicAPI job {RequestId} done in {ElapsedMs:0} ms", requestId, time.GetElapsedTime(started).TotalMilliseconds);
            return Reencode(downloaded, request.Options);
        }
    }

    /// <summary>Re-encoding gives the format asked for and drops whatever metadata the provider added.</summary>
    private static SwapOutput Reencode(byte[] downloaded, SwapOptions swapOptions)
    {
        try
        {
            using var bitmap = ImageDecoder.Decode(downloaded, ImageLimits.Default);
            var (bytes, contentType) = ImageEncoder.Encode(bitmap, swapOptions.Format, swapOptions.Quality);
            // The API does not say how many faces it replaced; one is what it does unless told otherwise.
            return new SwapOutput(bytes, contentType, 1);
        }
        catch (FaceSwapException exception)
        {
            throw new FaceSwapException(SwapFailureReason.EngineError, $"MagicAPI's output is not a usable image: {exception.Message}", exception);
        }
    }

    private static Uri RequirePublicUrl(EngineImage image, string which)
    {
        if (image.PublicUrl is not { } url)
        {
            throw new FaceSwapException(SwapFailureReason.EngineUnavailable,
                $"the magicapi engine needs a public URL for the {which} photo (EngineImage.PublicUrl); none was given");
        }

        if (url.Host.EndsWith("telegram.org", StringComparison.OrdinalIgnoreCase))
        {
            throw new FaceSwapException(SwapFailureReason.EngineUnavailable,
                $"refusing to send a Telegram file URL for the {which} photo to a third party: it contains the bot token");
        }

        return url;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(settings.Key))
        {
            return HealthCheckResult.Unhealthy("MagicApi:Key (or env MAGICAPI_KEY) is not set");
        }

        try
        {
            var stopwatch = Stopwatch.StartNew();
            var status = await client.ProbeAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"configured; {settings.BaseUrl.Host} answered {(int)status} in {stopwatch.ElapsedMilliseconds} ms");
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException)
        {
            return HealthCheckResult.Unhealthy($"{settings.BaseUrl.Host} unreachable: {exception.Message}", exception);
        }
    }
}
