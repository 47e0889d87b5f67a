using System.Net;
using FaceSwap.Tests.Support;
using Microsoft.Playwright;

namespace FaceSwap.Tests.Operations;

/// <summary>The public status page in headless Chromium: it shows each component, and Redis as down once it is stopped.</summary>
public sealed class StatusPageBrowserTests
{
    [Fact]
    public async Task The_status_page_shows_a_component_going_down()
    {
        // A slow first PING on a busy test machine must not make Redis "Degraded" here.
        await using var host = await BotApiHost.StartAsync(settings: new Dictionary<string, string?> { ["Health:RedisDegradedLatency"] = "00:00:05" });

        var response = await host.Http.GetAsync("/status");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var cspViolations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                cspViolations.Add(message.Text);
            }
        };

        await page.GotoAsync(new Uri(host.BaseAddress, "/status").ToString());
        Assert.Equal("FaceSwap status", await page.TitleAsync());
        Assert.Equal("Operational", await page.Locator("tr[data-component=redis] td.state").InnerTextAsync());
        Assert.Equal("Operational", await page.Locator("tr[data-component=sqlite] td.state").InnerTextAsync());
        Assert.Equal(FaceSwap.ServiceDefaults.BuildInfo.Version, await page.Locator("#version").InnerTextAsync());
        Assert.Equal(24, await page.Locator("tr[data-component=redis] .bar span").CountAsync());
        // The style sheet is allowed by its hash: the state is coloured, so CSS applied under the CSP.
        Assert.Equal("rgb(17, 112, 44)", await page.Locator("tr[data-component=redis] td.state").EvaluateAsync<string>("e => getComputedStyle(e).color"));

        await host.Redis.KillAsync();
        await page.ReloadAsync();
        Assert.Equal("Down", await page.Locator("tr[data-component=redis] td.state").InnerTextAsync());
        Assert.Equal("rgb(176, 0, 32)", await page.Locator("tr[data-component=redis] td.state").EvaluateAsync<string>("e => getComputedStyle(e).color"));
        Assert.Equal("Partial outage", await page.Locator("#overall").InnerTextAsync());
        Assert.Equal("Operational", await page.Locator("tr[data-component=sqlite] td.state").InnerTextAsync());
        var text = await page.Locator("body").InnerTextAsync();
        Assert.DoesNotContain(BotApiHost.WebhookSecret, text);
        Assert.DoesNotContain(host.Directory, text);
        Assert.Empty(cspViolations);
    }
}
