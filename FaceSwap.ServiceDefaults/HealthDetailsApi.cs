using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FaceSwap.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Who may see operator-only endpoints (<c>/health/details</c>, <c>/ops/*</c>): anyone in Development, otherwise only a
/// caller presenting <c>Ops:ApiKey</c> in the <c>X-Ops-Key</c> header. With no key configured, nobody outside Development.
/// </summary>
public static class OpsAccess
{
    public const string KeyHeader = "X-Ops-Key";
    public const string KeySetting = "Ops:ApiKey";

    public static bool IsAllowed(HttpContext context)
    {
        var services = context.RequestServices;
        if (services.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            return true;
        }

        var expected = services.GetRequiredService<IConfiguration>()[KeySetting];
        if (string.IsNullOrEmpty(expected) || !context.Request.Headers.TryGetValue(KeyHeader, out var presented))
        {
            return false;
        }

        // Constant time, so response timing reveals nothing about the key.
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented.ToString()), Encoding.UTF8.GetBytes(expected));
    }

    public static ProblemHttpResult Unauthorized() => TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized,
        title: "Operator key required", detail: $"Send the {KeySetting} value in the {KeyHeader} header.");
}

/// <summary>
/// <c>GET /health/details</c>: every check with status, duration, description and data, in the JSON shape
/// health-check dashboards read (AspNetCore.HealthChecks.UI.Client's <c>UIResponseWriter</c>), plus the build version.
/// </summary>
public static class HealthDetailsApi
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public static RouteGroupBuilder MapHealthDetailsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/health").WithTags("Health");
        group.MapGet("/details", GetDetailsAsync);
        return group;
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetDetailsAsync(HttpContext context,
        HealthCheckService health, CancellationToken cancellationToken)
    {
        if (!OpsAccess.IsAllowed(context))
        {
            return OpsAccess.Unauthorized();
        }

        var report = await health.CheckHealthAsync(cancellationToken);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Text(Write(report), "application/json", Encoding.UTF8,
            report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }

    /// <summary>The UIResponseWriter format: status, totalDuration, entries{name: data, description, duration, exception, status, tags}.</summary>
    public static string Write(HealthReport report)
    {
        var entries = report.Entries.ToDictionary(entry => entry.Key, entry => new Dictionary<string, object?>
        {
            ["data"] = entry.Value.Data.ToDictionary(d => d.Key, d => d.Value),
            ["description"] = entry.Value.Description,
            ["duration"] = entry.Value.Duration.ToString(),
            ["exception"] = entry.Value.Exception?.Message,
            ["status"] = entry.Value.Status.ToString(),
            ["tags"] = entry.Value.Tags,
        });
        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["status"] = report.Status.ToString(),
            ["totalDuration"] = report.TotalDuration.ToString(),
            ["version"] = BuildInfo.Version,
            ["commit"] = BuildInfo.Commit,
            ["entries"] = entries,
        }, Json);
    }
}

public sealed class MemoryHealthCheckOptions
{
    [System.ComponentModel.DataAnnotations.Range(1, 1_000_000, ErrorMessage = "Health:Memory:DegradedMegabytes must be between {1} and {2}.")]
    public int DegradedMegabytes { get; set; } = 1024;

    [System.ComponentModel.DataAnnotations.Range(1, 1_000_000, ErrorMessage = "Health:Memory:UnhealthyMegabytes must be between {1} and {2}.")]
    public int UnhealthyMegabytes { get; set; } = 2048;
}

/// <summary>Health check <c>memory</c>: the process's working set against <c>Health:Memory:*Megabytes</c>.</summary>
public sealed class MemoryHealthCheck(Microsoft.Extensions.Options.IOptions<MemoryHealthCheckOptions> options, Func<long>? workingSet = null) : IHealthCheck
{
    private readonly Func<long> _workingSet = workingSet ?? (() => Process.GetCurrentProcess().WorkingSet64);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var megabytes = _workingSet() / (1024 * 1024);
        var data = new Dictionary<string, object> { ["workingSetMegabytes"] = megabytes };
        var limits = options.Value;
        var description = $"Working set {megabytes} MB (degraded at {limits.DegradedMegabytes}, unhealthy at {limits.UnhealthyMegabytes})";
        return Task.FromResult(megabytes >= limits.UnhealthyMegabytes ? HealthCheckResult.Unhealthy(description, data: data)
            : megabytes >= limits.DegradedMegabytes ? HealthCheckResult.Degraded(description, data: data)
            : HealthCheckResult.Healthy(description, data));
    }
}
