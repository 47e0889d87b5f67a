using System.Net;
using FaceSwap.Tests.Payments;
using FaceSwap.Tests.Support;
using Microsoft.Playwright;
using static FaceSwap.Tests.Payments.StripeWebhookSigner;

namespace FaceSwap.Tests.Web;

/// <summary>
/// A card purchase in headless Chromium, signed in through the emulator's login stand-in (the real session and CSRF
/// check, not a test scheme): the credits page opens a Checkout Session at a fake of Stripe's API, "Stripe's hosted
/// page" (a browser route, as there is no internet) sends the signed webhook and returns the buyer, and the balance
/// shows on the page and in the chat.
/// </summary>
public sealed class WebCardPaymentBrowserTests
{
    private const long Boris = 1002;

    [Fact]
    public async Task A_signed_in_user_buys_a_pack_by_card_and_the_balance_shows_on_the_page_and_in_the_chat()
    {
        await using var stripe = await FakeStripeApi.StartAsync();
        // Development: the session cookie is Secure elsewhere, and this test's bot API is plain HTTP.
        await using var host = await BotApiHost.StartAsync(new Dictionary<string, string?>
        {
            ["Stripe:SecretKey"] = "sk_test_fake",
            ["Stripe:WebhookSecret"] = Secret,
            ["Stripe:ApiBaseUrl"] = stripe.BaseAddress.ToString(),
        }, environment: "Development");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var webhookAnswers = new List<HttpStatusCode>();
        await page.RouteAsync("https://checkout.stripe.com/**", async route =>
        {
            // Stripe's hosted page: the buyer pays, Stripe posts the signed event, then sends the buyer to success_url.
            var request = Assert.Single(stripe.SessionRequests);
            var sessionId = route.Request.Url[(route.Request.Url.LastIndexOf('/') + 1)..];
            var paid = SessionEvent("checkout.session.completed", sessionId, Boris, "small", paymentIntentId: "pi_browser_" + Guid.NewGuid().ToString("N"));
            using var answer = await DeliverAsync(host.Http, paid, Sign(paid));
            webhookAnswers.Add(answer.StatusCode);
            await route.FulfillAsync(new RouteFulfillOptions
            {
                ContentType = "text/html",
                Body = $"<!DOCTYPE html><title>Stripe Checkout (test)</title><a id=\"return\" href=\"{WebUtility.HtmlEncode(request["success_url"])}\">Return</a>",
            });
        });

        // Back from a login page that sent nothing (the user closed it): the page says so and offers to try again.
        await page.GotoAsync(new Uri(host.BaseAddress, "/web/signin.html").ToString());
        await page.WaitForSelectorAsync("#failed:not([hidden])");

        await page.GotoAsync(new Uri(host.BaseAddress, "/web/").ToString());
        await page.ClickAsync("#signin-link");
        await page.ClickAsync($"a.user[data-user='{Boris}']");
        // The page goes through the login stand-in and signin.html before /web/: the predicates below are null-safe,
        // as they are evaluated on whichever page is loaded at the moment.
        await page.WaitForFunctionAsync("() => document.getElementById('who')?.textContent === 'Boris'");
        await page.GotoAsync(new Uri(host.BaseAddress, "/web/credits.html").ToString());
        await page.WaitForFunctionAsync("() => document.getElementById('balance')?.textContent.endsWith(' credits') === true");
        var before = int.Parse((await page.InnerTextAsync("#balance")).Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

        // The first pack is the small one: 10 credits for 1.99 EUR.
        Assert.Equal("1.99 EUR", await page.InnerTextAsync(".pack:first-child .price"));
        await page.ClickAsync(".pack:first-child .buy");
        await page.WaitForURLAsync("https://checkout.stripe.com/**");
        await page.ClickAsync("#return");

        // Back on the page, it waits for the payment to be settled (here the webhook came first), then says so.
        await page.WaitForFunctionAsync("() => document.getElementById('notice')?.textContent.startsWith('Payment confirmed') === true",
            null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        Assert.Equal($"Payment confirmed: 10 credits added. You now have {before + 10} credits.", await page.InnerTextAsync("#notice"));
        Assert.Equal($"{before + 10} credits", await page.InnerTextAsync("#balance"));
        Assert.Equal([HttpStatusCode.OK], webhookAnswers);
        var request = Assert.Single(stripe.SessionRequests);
        Assert.Equal((Boris.ToString(System.Globalization.CultureInfo.InvariantCulture), "small"), (request["client_reference_id"], request["metadata[pack_id]"]));
        var reply = await host.SayAndWaitAsync(Boris, "/balance", m => BotApiHost.TextOf(m).StartsWith("You have", StringComparison.Ordinal));
        Assert.StartsWith($"You have {before + 10} credits.", BotApiHost.TextOf(reply), StringComparison.Ordinal);
    }
}
