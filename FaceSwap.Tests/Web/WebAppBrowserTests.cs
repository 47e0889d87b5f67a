using FaceSwap.BotApi.Data;
using FaceSwap.Tests.Deployment;
using FaceSwap.Tests.EndToEnd;
using FaceSwap.Tests.Engine;
using FaceSwap.Tests.Queue;
using FaceSwap.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using StackExchange.Redis;

namespace FaceSwap.Tests.Web;

/// <summary>
/// The web app in headless Chromium against a real bot API, the emulator's login stand-in and the processor's real job
/// loop (a scripted engine): sign in, accept the terms, upload two photos, see the result (the credit taken once), send
/// it to the chat.
/// It also takes the README's screenshots (desktop and phone width).
/// </summary>
public sealed class WebAppBrowserTests
{
    [Fact]
    public async Task A_user_signs_in_with_telegram_accepts_the_terms_and_gets_a_swap_in_the_browser()
    {
        // Development: the session cookie is Secure elsewhere, and this test's bot API is plain HTTP.
        await using var host = await BotApiHost.StartAsync(environment: "Development");
        await using var redis = await ConnectionMultiplexer.ConnectAsync(host.Redis.ConnectionString);
        var engine = new ScriptedEngine { Output = request => request.Target.Bytes.ToArray() };
        await using var worker = await ProcessorQueue.StartAsync(redis, engine);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 900 } });
        var cspViolations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                cspViolations.Add(message.Text);
            }
        };

        await page.GotoAsync(new Uri(host.BaseAddress, "/web/").ToString());
        await page.ClickAsync("#signin-link");
        // The emulator's stand-in of Telegram's login page: pick Ann; it sends the signed fields back to the bot API.
        await page.ClickAsync("a.user[data-user='1001']");
        await page.WaitForSelectorAsync("#terms:not([hidden])");
        Assert.Equal("Ann", await page.InnerTextAsync("#who"));
        await page.ClickAsync("#accept-terms");
        await page.WaitForSelectorAsync("#swap:not([hidden])");
        var balanceBefore = int.Parse(await page.InnerTextAsync("#balance"), System.Globalization.CultureInfo.InvariantCulture);

        await page.SetInputFilesAsync("#face", TestImages.PathOf("grace_hopper.jpg"));
        await page.SetInputFilesAsync("#target", TestImages.PathOf("astronaut.png"));
        await page.ClickAsync("#start");
        await page.WaitForSelectorAsync("#result:not([hidden])", new PageWaitForSelectorOptions { Timeout = 60_000 });
        await page.WaitForFunctionAsync("() => (document.getElementById('result-image')?.naturalWidth ?? 0) > 0");

        var resultSrc = await page.GetAttributeAsync("#result-image", "src");
        Assert.StartsWith("/media/", resultSrc);
        Assert.Contains("sig=", await page.GetAttributeAsync("#download", "href"));
        Assert.False(string.IsNullOrWhiteSpace(await page.InnerTextAsync("#ai-label")));
        await page.WaitForFunctionAsync($"() => document.getElementById('balance')?.textContent === '{balanceBefore - 1}'");
        var spends = await host.WithDatabaseAsync(db => db.CreditLedger.CountAsync(e => e.UserId == 1001 && e.Kind == CreditEntryKind.Spend));
        Assert.Equal(1, spends);
        var job = await host.WithDatabaseAsync(db => db.Jobs.AsNoTracking().SingleAsync(j => j.UserId == 1001));
        Assert.Equal(JobOrigin.Web, job.Origin);
        Assert.NotNull(job.DeliveredAt);
        // Delivered to the page only: the chat got no photo (the delivery above is done, so nothing is on its way).
        Assert.DoesNotContain(await host.BotMessagesAsync(1001), m => EmulatorClient.PhotoFileId(m) is not null);

        // The README's pictures are refreshed only when asked (FACESWAP_UPDATE_SCREENSHOTS=1), so a test run leaves the tree clean.
        var folder = Environment.GetEnvironmentVariable("FACESWAP_UPDATE_SCREENSHOTS") == "1" ? RepositoryFiles.PathOf("docs") : host.Directory;
        var desktop = await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "web-app.png"), FullPage = true });
        await page.SetViewportSizeAsync(390, 844);
        // On a phone the two photo boxes stack: the target box is below the face box, not beside it.
        Assert.True(await page.EvaluateAsync<bool>(
            "() => document.getElementById('target-drop').getBoundingClientRect().top >= document.getElementById('face-drop').getBoundingClientRect().bottom"));
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 390"));
        var phone = await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "web-app-phone.png"), FullPage = true });
        Assert.NotEmpty(desktop);
        Assert.NotEmpty(phone);

        // "Send to my chat": the kept result reaches the chat once, with the chat's caption.
        await page.ClickAsync("#send-to-chat");
        await page.WaitForFunctionAsync("() => document.getElementById('send-to-chat')?.textContent === 'Sent to your chat'");
        var sent = await host.WaitForBotMessageAsync(1001, m => EmulatorClient.PhotoFileId(m) is not null);
        Assert.Contains("credit", BotApiHost.TextOf(sent), StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(await host.WithDatabaseAsync(db => db.Jobs.Where(j => j.Id == job.Id).Select(j => j.ResultFileId).SingleAsync()));
        Assert.Empty(cspViolations);
    }
}
