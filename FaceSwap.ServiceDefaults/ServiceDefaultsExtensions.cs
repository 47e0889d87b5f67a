using FaceSwap.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Cross-cutting defaults every FaceSwap service shares: OpenTelemetry, health checks,
/// service discovery and HTTP resilience.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Tag of the checks that say whether the process is alive (no dependencies).</summary>
    public const string LiveTag = "live";

    /// <summary>Name of the meter and activity source every FaceSwap service reports under.</summary>
    public const string FaceSwapTelemetryName = "FaceSwap";

    /// <summary>
    /// Tag of checks that inform operators (details, alerts, status page) but must not make the service unready:
    /// an outage elsewhere (Telegram, no processor, a stale backup) must not take this service's endpoints offline.
    /// </summary>
    public const string NonCriticalTag = "noncritical";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // Both services decode photos of several MB in native memory; see GlibcHeap for what this keeps from piling up.
        GlibcHeap.ReturnLargeBlocksToSystem();
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // HttpClient's own logs print request URLs at Information, and Telegram.Bot's URLs contain the bot token.
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        // "Request starting" lines carry the query string (signed media URLs); the request spans have it redacted.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        // Every log line carries the trace and span it was written in, in every sink (console too), not only OTLP.
        builder.Logging.Configure(options => options.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(FaceSwapTelemetryName))
            .WithTracing(tracing => tracing
                // Everything but idle polling; see QuietPollingSampler.
                .SetSampler(QuietPollingSampler.Instance)
                .AddSource(builder.Environment.ApplicationName, FaceSwapTelemetryName)
                // Probes hit the health endpoints every few seconds; their spans would bury real traffic.
                .AddAspNetCoreInstrumentation(options => options.Filter = context =>
                    !context.Request.Path.StartsWithSegments("/health") &&
                    !context.Request.Path.StartsWithSegments("/alive"))
                .AddHttpClientInstrumentation(options => options.EnrichWithHttpRequestMessage = (activity, request) =>
                {
                    TelegramSpanName.Apply(activity, request);
                    TelemetryRedaction.RedactTags(activity);
                })
                // Before any exporter: the spans of Telegram calls carry the bot token in url.full.
                .AddProcessor(new RedactingActivityProcessor()));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag])
            .AddCheck<MemoryHealthCheck>("memory", tags: [NonCriticalTag]);
        builder.Services.AddValidatedOptions<MemoryHealthCheckOptions>("Health:Memory");
        return builder;
    }

    /// <summary>
    /// Maps <c>/alive</c> (liveness: only the process itself) and <c>/health</c> (readiness: every check not tagged
    /// <see cref="NonCriticalTag"/>; 200 when Healthy or Degraded, 503 when Unhealthy).
    /// Both are mapped in every environment because the cloud's probes call them; the bodies carry
    /// only the overall status. <c>/health/details</c> has everything, for operators only.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = check => !check.Tags.Contains(NonCriticalTag) });
        app.MapHealthDetailsApi();
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) });
        return app;
    }
}
