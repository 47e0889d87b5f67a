using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using FaceSwap.BotApi.Data;
using FaceSwap.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FaceSwap.BotApi.Operations.Status;

/// <summary>
/// <c>GET /status</c>: a public page with each component's state and its last 24 hours of uptime. It shows names and
/// states only: descriptions can name paths and errors, which are for <c>/health/details</c>.
/// </summary>
public static class StatusPage
{
    private const string Css = """
        body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}
        table{border-collapse:collapse;width:100%}td,th{padding:.4rem;border-bottom:1px solid #ddd;text-align:left}
        .Healthy{color:#11702c}.Degraded{color:#8a5a00}.Unhealthy{color:#b00020}
        .bar{display:flex;gap:1px}.bar span{width:8px;height:18px;background:#ccc}
        .bar .up{background:#2c9a4b}.bar .partial{background:#e0a800}.bar .down{background:#b00020}
        footer{margin-top:2rem;color:#666;font-size:.85rem}
        """;

    /// <summary>The style sheet is allowed by its hash: no inline script or style runs on this page but this one.</summary>
    private static readonly string CspHeader = "default-src 'none'; style-src 'sha256-" +
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Css))) + "'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly Dictionary<string, string> DisplayNames = new()
    {
        ["database"] = "Database migrations",
        ["sqlite"] = "Database",
        ["postgres"] = "Database",
        ["redis"] = "Queue (Redis)",
        ["telegram"] = "Telegram",
        ["backlog"] = "Swap queue",
        ["processors"] = "Swap processors",
        ["disk"] = "Disk space",
        ["memory"] = "Memory",
        ["backup"] = "Backups",
    };

    public static RouteGroupBuilder MapStatusPage(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/status").WithTags("Status");
        group.MapGet("", GetAsync);
        return group;
    }

    /// <summary>Whether a check is shown: the built-in ones of libraries and "self" are not components.</summary>
    public static bool IsComponent(string check) => DisplayNames.ContainsKey(check);

    public static async Task<ContentHttpResult> GetAsync(HttpContext context, StatusReports reports, FaceSwapDbContext db, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var report = await reports.CurrentAsync(cancellationToken);
        var now = time.GetUtcNow();
        var since = now.AddHours(-24);
        var samples = await db.Set<UptimeSample>().AsNoTracking().Where(s => s.SampledAt >= since)
            .Select(s => new { s.Component, s.SampledAt, s.Status }).ToListAsync(cancellationToken);

        var html = new StringBuilder();
        var overall = report.Status;
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">")
            .Append("<meta http-equiv=\"refresh\" content=\"60\"><title>FaceSwap status</title><style>").Append(Css).Append("</style></head><body>")
            .Append("<h1>FaceSwap status</h1><p id=\"overall\" class=\"").Append(overall).Append("\">")
            .Append(overall switch { HealthStatus.Healthy => "All systems operational", HealthStatus.Degraded => "Some systems degraded", _ => "Partial outage" })
            .Append("</p><table><thead><tr><th>Component</th><th>Now</th><th>Uptime (24 h)</th><th>Last 24 hours</th></tr></thead><tbody>");
        foreach (var (name, entry) in report.Entries.Where(e => IsComponent(e.Key)).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var mine = samples.Where(s => s.Component == name).ToList();
            var uptime = mine.Count == 0 ? "n/a" : (100.0 * mine.Count(s => s.Status != HealthStatus.Unhealthy) / mine.Count).ToString("F1", CultureInfo.InvariantCulture) + "%";
            html.Append("<tr data-component=\"").Append(HtmlEncoder.Default.Encode(name)).Append("\"><td>")
                .Append(HtmlEncoder.Default.Encode(DisplayNames[name])).Append("</td><td class=\"state ").Append(entry.Status).Append("\">")
                .Append(Label(entry.Status)).Append("</td><td class=\"uptime\">").Append(uptime).Append("</td><td><div class=\"bar\">");
            for (var hour = 23; hour >= 0; hour--)
            {
                var from = now.AddHours(-hour - 1);
                var to = now.AddHours(-hour);
                var inHour = mine.Where(s => s.SampledAt >= from && s.SampledAt < to).ToList();
                var css = inHour.Count == 0 ? "" : inHour.All(s => s.Status != HealthStatus.Unhealthy) ? "up" : inHour.Any(s => s.Status != HealthStatus.Unhealthy) ? "partial" : "down";
                html.Append("<span class=\"").Append(css).Append("\"></span>");
            }

            html.Append("</div></td></tr>");
        }

        html.Append("</tbody></table><footer>Version <span id=\"version\">").Append(HtmlEncoder.Default.Encode(BuildInfo.Version))
            .Append("</span> · checked ").Append(now.ToString("u", CultureInfo.InvariantCulture)).Append("</footer></body></html>");

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = CspHeader;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        // 200 even in an outage: the page itself works, and monitors should read /health instead.
        return TypedResults.Text(html.ToString(), "text/html", Encoding.UTF8);
    }

    private static string Label(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "Operational",
        HealthStatus.Degraded => "Degraded",
        _ => "Down",
    };
}
