using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaceSwap.BotApi.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace FaceSwap.Tests.Operations;

/// <summary>
/// The shared endpoints every service (bot API and processor) maps through ServiceDefaults: readiness codes,
/// the details' format and their operator key.
/// </summary>
public sealed class ServiceDefaultsHealthTests
{
    private static async Task<WebApplication> StartAsync(string environment, HealthStatus critical, HealthStatus nonCritical, string? opsKey = "0123456789abcdef-key")
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseTestServer();
        if (opsKey is not null)
        {
            builder.Configuration["Ops:ApiKey"] = opsKey;
        }

        builder.AddServiceDefaults();
        builder.Services.AddHealthChecks()
            .AddCheck("critical", () => new HealthCheckResult(critical, "critical says " + critical, data: new Dictionary<string, object> { ["answer"] = 42 }))
            .AddCheck("optional", () => new HealthCheckResult(nonCritical, "optional says " + nonCritical), [ServiceDefaultsExtensions.NonCriticalTag]);
        builder.Services.AddProblemDetails();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        return app;
    }

    [Theory]
    [InlineData(HealthStatus.Healthy, HttpStatusCode.OK, "Healthy")]
    [InlineData(HealthStatus.Degraded, HttpStatusCode.OK, "Degraded")]
    [InlineData(HealthStatus.Unhealthy, HttpStatusCode.ServiceUnavailable, "Unhealthy")]
    public async Task Readiness_is_200_unless_a_critical_check_is_unhealthy_and_says_only_the_status(HealthStatus critical, HttpStatusCode code, string body)
    {
        await using var app = await StartAsync(Environments.Production, critical, HealthStatus.Unhealthy);
        var response = await app.GetTestClient().GetAsync("/health");
        Assert.Equal(code, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await app.GetTestClient().GetAsync("/alive")).StatusCode);
    }

    [Fact]
    public async Task Details_are_401_without_the_key_in_production_and_the_full_report_with_it()
    {
        await using var app = await StartAsync(Environments.Production, HealthStatus.Healthy, HealthStatus.Degraded);
        var client = app.GetTestClient();
        var denied = await client.GetAsync("/health/details");
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        Assert.Equal("Operator key required", (await denied.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());

        var request = new HttpRequestMessage(HttpMethod.Get, "/health/details");
        request.Headers.Add(OpsAccess.KeyHeader, "0123456789abcdef-key");
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Degraded", report.GetProperty("status").GetString());
        var critical = report.GetProperty("entries").GetProperty("critical");
        Assert.Equal("Healthy", critical.GetProperty("status").GetString());
        Assert.Equal("critical says Healthy", critical.GetProperty("description").GetString());
        Assert.Equal(42, critical.GetProperty("data").GetProperty("answer").GetInt32());
        Assert.Matches(@"^\d\d:\d\d:\d\d", critical.GetProperty("duration").GetString());
        Assert.Equal("Degraded", report.GetProperty("entries").GetProperty("optional").GetProperty("status").GetString());
        Assert.Equal(FaceSwap.ServiceDefaults.BuildInfo.Version, report.GetProperty("version").GetString());
    }

    [Fact]
    public async Task Details_are_open_in_development_and_closed_without_a_configured_key()
    {
        await using (var development = await StartAsync(Environments.Development, HealthStatus.Healthy, HealthStatus.Healthy, opsKey: null))
        {
            Assert.Equal(HttpStatusCode.OK, (await development.GetTestClient().GetAsync("/health/details")).StatusCode);
        }

        await using var production = await StartAsync(Environments.Production, HealthStatus.Healthy, HealthStatus.Healthy, opsKey: null);
        var request = new HttpRequestMessage(HttpMethod.Get, "/health/details");
        request.Headers.Add(OpsAccess.KeyHeader, "");
        Assert.Equal(HttpStatusCode.Unauthorized, (await production.GetTestClient().SendAsync(request)).StatusCode);
    }

    [Theory]
    [InlineData("https://api.telegram.org/bot123456:ABC-def_9/sendMessage", "https://api.telegram.org/botREDACTED/sendMessage")]
    [InlineData("https://api.telegram.org/file/bot123456:ABC/photos/file_1.jpg", "https://api.telegram.org/file/botREDACTED/photos/file_1.jpg")]
    [InlineData("https://bot.example.com/media/k?expires=1&sig=abcdef", "https://bot.example.com/media/k?expires=1&sig=REDACTED")]
    [InlineData("https://example.com/robots.txt", "https://example.com/robots.txt")]
    public void Urls_lose_their_secrets(string url, string expected) => Assert.Equal(expected, TelemetryRedaction.Redact(url));

    [Theory]
    [InlineData("http://127.0.0.1/bot1:x/sendMessage", "sendMessage")]
    [InlineData("http://127.0.0.1/file/bot1:x/photos/a.jpg", "file")]
    public void Telegram_metrics_name_the_method_never_the_token(string url, string method) =>
        Assert.Equal(method, TelegramMetricsHandler.MethodOf(new Uri(url)));
}
