using Polly;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Configuration;

namespace FaceSwap.Processor.Engines.MagicApi;

internal static class MagicApiRegistration
{
    public static void AddMagicApiEngine(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<MagicApiOptions>(MagicApiOptions.SectionName)
            .PostConfigure<IConfiguration>((options, configuration) =>
            {
                if (string.IsNullOrWhiteSpace(options.Key))
                {
                    options.Key = configuration[MagicApiOptions.KeyEnvironmentVariable];
                }

                // HttpClient drops the last segment of a base address without a trailing slash.
                if (!options.BaseUrl.AbsoluteUri.EndsWith('/'))
                {
                    options.BaseUrl = new Uri(options.BaseUrl.AbsoluteUri + "/");
                }
            });

        // Read at registration, not through IOptions: the resilience options are themselves validated at start, and
        // reading the MagicApi options there would report a bad MagicApi setting twice. The values used at run time
        // (key, base URL) come from the validated options; these three only shape the retry pipeline.
        var settings = new MagicApiOptions();
        builder.Configuration.GetSection(MagicApiOptions.SectionName).Bind(settings);

        var httpClient = builder.Services.AddHttpClient<MagicApiClient>((services, http) =>
            {
                var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MagicApiOptions>>().Value;
                http.BaseAddress = options.BaseUrl;
                // Timeouts are the resilience pipeline's job (per attempt and in total).
                http.Timeout = Timeout.InfiniteTimeSpan;
            });

        // The service defaults add a standard handler to every client; this client needs its own settings, not two nested pipelines.
        // RemoveAllResilienceHandlers is marked experimental; it is the documented way to replace the default pipeline.
#pragma warning disable EXTEXP0001
        httpClient.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        httpClient.AddStandardResilienceHandler(resilience =>
            {
                resilience.Retry.MaxRetryAttempts = Math.Max(1, settings.MaxRetries);
                resilience.Retry.Delay = settings.RetryBaseDelay;
                resilience.Retry.BackoffType = Polly.DelayBackoffType.Exponential;
                resilience.Retry.UseJitter = true;
                resilience.Retry.ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context.GetRequestMessage(), settings.RunPath));
                resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(20);
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(60);
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(90);
            });

        builder.Services.AddSingleton<MagicApiFaceSwapEngine>();
        builder.Services.AddSingleton<IFaceSwapEngine>(sp => sp.GetRequiredService<MagicApiFaceSwapEngine>());
        builder.Services.TryAddSingleton(TimeProvider.System);
    }

    /// <summary>
    /// A submit starts a paid job, so it is retried only when the provider surely did not take it: a 429, or a
    /// connection that never opened. A timeout or a 5xx after sending may have started the job. Polls and downloads
    /// are safe to repeat and are retried as usual.
    /// </summary>
    internal static bool ShouldRetry(Polly.Outcome<HttpResponseMessage> outcome, HttpRequestMessage? request, string runPath)
    {
        var isSubmit = request?.Method == HttpMethod.Post &&
                       request.RequestUri?.AbsolutePath.TrimEnd('/').EndsWith(runPath.TrimEnd('/'), StringComparison.OrdinalIgnoreCase) == true;
        if (!isSubmit)
        {
            return HttpClientResiliencePredicates.IsTransient(outcome);
        }

        return outcome.Result?.StatusCode == System.Net.HttpStatusCode.TooManyRequests ||
               outcome.Exception is HttpRequestException { InnerException: System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused } };
    }
}
