using System.Text;
using System.Text.Json;
using FaceSwap.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

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
