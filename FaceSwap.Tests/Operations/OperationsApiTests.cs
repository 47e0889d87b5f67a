using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaceSwap.Tests.Support;

namespace FaceSwap.Tests.Operations;

/// <summary>The health endpoints, the operator key, and pausing intake, through a running bot API (Production environment).</summary>
public sealed class OperationsApiTests
{
    [Fact]
    public async Task Details_need_the_operator_key_and_readiness_ignores_non_critical_checks()
    {
        await using var host = await BotApiHost.StartAsync();

        var anonymous = await host.Http.GetAsync("/health/details");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
        Assert.Equal(401, (await anonymous.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());

        var wrong = new HttpRequestMessage(HttpMethod.Get, "/health/details");
        wrong.Headers.Add("X-Ops-Key", BotApiHost.OpsKey + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.SendAsync(wrong)).StatusCode);

        var details = await host.Http.SendAsync(host.WithOpsKey(HttpMethod.Get, "/health/details"));
        // No processor runs in this test: "processors" is Unhealthy, so the whole report is.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, details.StatusCode);
        var report = await details.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Unhealthy", report.GetProperty("status").GetString());
        Assert.Equal(FaceSwap.ServiceDefaults.BuildInfo.Version, report.GetProperty("version").GetString());
        Assert.True(report.TryGetProperty("totalDuration", out _));
        var entries = report.GetProperty("entries");
        foreach (var check in new[] { "sqlite", "redis", "telegram", "backlog", "processors", "disk", "backup-disk", "memory", "backup", "database" })
        {
            var entry = entries.GetProperty(check);
            Assert.True(entry.TryGetProperty("duration", out _), check);
            Assert.True(entry.TryGetProperty("data", out _), check);
            Assert.True(entry.TryGetProperty("description", out _), check);
        }

        Assert.Equal("Unhealthy", entries.GetProperty("processors").GetProperty("status").GetString());
        Assert.Equal("Healthy", entries.GetProperty("sqlite").GetProperty("status").GetString());

        // Readiness: a missing processor must not take the webhook offline; the body is the status only.
        var ready = await host.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.DoesNotContain("processors", await ready.Content.ReadAsStringAsync());

        // Neither must Redis: updates wait in SQLite.
        await host.Redis.KillAsync();
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/alive")).StatusCode);
    }

    [Fact]
    public async Task The_database_integrity_result_is_kept_between_probes()
    {
        await using var host = await BotApiHost.StartAsync();
        async Task<JsonElement> SqliteDataAsync()
        {
            using var details = await host.Http.SendAsync(host.WithOpsKey(HttpMethod.Get, "/health/details"));
            return (await details.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("entries").GetProperty("sqlite").GetProperty("data");
        }

        // Each probe creating its own check would report "pending" forever and re-read the whole file every time.
        var data = await SqliteDataAsync();
        for (var attempt = 0; attempt < 100 && data.GetProperty("integrity").GetString() != "ok"; attempt++)
        {
            await Task.Delay(100);
            data = await SqliteDataAsync();
        }

        Assert.Equal("ok", data.GetProperty("integrity").GetString());
        Assert.Equal(data.GetProperty("integrityCheckedAt").GetString(), (await SqliteDataAsync()).GetProperty("integrityCheckedAt").GetString());
    }

    [Fact]
    public async Task Pausing_intake_makes_the_webhook_answer_503_until_resumed()
    {
        await using var host = await BotApiHost.StartAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.PostAsync("/ops/intake/pause", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.SendAsync(host.WithOpsKey(HttpMethod.Post, "/ops/intake/pause"))).StatusCode);

        var update = new HttpRequestMessage(HttpMethod.Post, "/telegram/webhook")
        {
            Content = JsonContent.Create(new { update_id = 7001, message = new { message_id = 1, date = 0, chat = new { id = 5, type = "private" }, text = "hi" } }),
        };
        update.Headers.Add("X-Telegram-Bot-Api-Secret-Token", BotApiHost.WebhookSecret);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await host.Http.SendAsync(update)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await host.Http.SendAsync(host.WithOpsKey(HttpMethod.Post, "/ops/intake/resume"))).StatusCode);
        var again = new HttpRequestMessage(HttpMethod.Post, "/telegram/webhook") { Content = update.Content };
        again.Headers.Add("X-Telegram-Bot-Api-Secret-Token", BotApiHost.WebhookSecret);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.SendAsync(again)).StatusCode);
    }
}
