using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Payments;
using FaceSwap.Tests.Support;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using static FaceSwap.Tests.Payments.StripeWebhookSigner;

namespace FaceSwap.Tests.Payments;

/// <summary>
/// Card payments on the web app: <c>/web/api/packs</c>, <c>/checkout</c> and <c>/payments</c> as a signed-in user,
/// a Checkout Session at the (fake) Stripe API, and the credits from the signed webhook into the ledger the chat reads.
/// </summary>
/// <remarks>IAsyncLifetime, not IAsyncDisposable: xUnit 2 never disposes a test class asynchronously, and each test's
/// redis-server outlived the run.</remarks>
public sealed class WebCheckoutTests : IAsyncLifetime
{
    private const string Completed = "checkout.session.completed";

    private FakeStripeApi? _stripe;
    private BotApiHost? _host;

    private BotApiHost Host => _host ?? throw new InvalidOperationException("Start the bot API first.");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_stripe is not null)
        {
            await _stripe.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_packs_show_their_card_and_stars_prices()
    {
        await StartAsync();

        using var response = await SendAsync(HttpMethod.Get, "/web/api/packs", 7000);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var list = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(list.GetProperty("cardPayments").GetBoolean());
        var small = list.GetProperty("packs").EnumerateArray().First(p => p.GetProperty("id").GetString() == "small");
        Assert.Equal((10, 199L, "eur", "1.99 EUR", 50),
            (small.GetProperty("credits").GetInt32(), small.GetProperty("cardAmount").GetInt64(), small.GetProperty("cardCurrency").GetString(),
                small.GetProperty("cardPrice").GetString(), small.GetProperty("stars").GetInt32()));
        Assert.Equal(3, list.GetProperty("packs").GetArrayLength());
    }

    [Fact]
    public async Task Checkout_opens_a_session_for_the_signed_in_user_and_pack_and_returns_its_url()
    {
        const long userId = 7001; // signed in on the web, never wrote to the bot
        await StartAsync();

        using var response = await CheckoutAsync(userId, "medium");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var url = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!;
        var request = Assert.Single(_stripe!.SessionRequests);
        Assert.Equal(("7001", "7001", "medium", "50"),
            (request["client_reference_id"], request["metadata[user_id]"], request["metadata[pack_id]"], request["metadata[credits]"]));
        Assert.Equal(("699", "eur"), (request["line_items[0][price_data][unit_amount]"], request["line_items[0][price_data][currency]"]));
        Assert.Equal(new Uri(Host.BaseAddress, "/web/credits.html?paid=1").ToString(), request["success_url"]);
        Assert.Equal(new Uri(Host.BaseAddress, "/web/credits.html?cancelled=1").ToString(), request["cancel_url"]);
        var sessionId = url[(url.LastIndexOf('/') + 1)..];
        Assert.Equal($"https://checkout.stripe.com/c/pay/{sessionId}", url);

        // The user was created as the chat creates one, free credits included, and the attempt shows as pending.
        Assert.Equal(3, await BalanceAsync(userId));
        var payment = Assert.Single(await PaymentsAsync(userId));
        Assert.Equal(("card", "medium", 50, "6.99 EUR", "pending"),
            (payment.GetProperty("method").GetString(), payment.GetProperty("packId").GetString(), payment.GetProperty("credits").GetInt32(),
                payment.GetProperty("price").GetString(), payment.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task The_signed_webhook_delivered_twice_credits_the_pack_once_and_the_chat_balance_shows_it()
    {
        const long userId = 7002;
        await StartAsync();
        var sessionId = await PaidCheckoutAsync(userId, "small", "pi_web_" + Guid.NewGuid().ToString("N"), deliveries: 2);

        var entries = await Host.WithDatabaseAsync(db => db.CreditLedger.Where(e => e.Reference == $"stripe:{sessionId}").ToListAsync());
        var entry = Assert.Single(entries);
        Assert.Equal((userId, CreditEntryKind.Purchase, 10), (entry.UserId, entry.Kind, entry.Amount));
        var reply = await Host.SayAndWaitAsync(userId, "/balance", m => BotApiHost.TextOf(m).StartsWith("You have", StringComparison.Ordinal));
        Assert.StartsWith("You have 13 credits.", BotApiHost.TextOf(reply), StringComparison.Ordinal);
        Assert.Equal("paid", Assert.Single(await PaymentsAsync(userId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_refund_webhook_takes_the_credits_back_and_the_payment_shows_refunded()
    {
        const long userId = 7003;
        await StartAsync();
        var paymentIntent = "pi_web_" + Guid.NewGuid().ToString("N");
        await PaidCheckoutAsync(userId, "small", paymentIntent, deliveries: 1);
        Assert.Equal(13, await BalanceAsync(userId));

        var refund = ChargeRefundedEvent(paymentIntent, amount: 199, amountRefunded: 199);
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(Host.Http, refund, Sign(refund))).StatusCode);

        Assert.Equal(3, await BalanceAsync(userId));
        var reply = await Host.SayAndWaitAsync(userId, "/balance", m => BotApiHost.TextOf(m).StartsWith("You have", StringComparison.Ordinal));
        Assert.StartsWith("You have 3 credits.", BotApiHost.TextOf(reply), StringComparison.Ordinal);
        var payment = Assert.Single(await PaymentsAsync(userId));
        Assert.Equal(("refunded", 10), (payment.GetProperty("status").GetString(), payment.GetProperty("creditsTakenBack").GetInt32()));
    }

    [Fact]
    public async Task A_dispute_webhook_takes_the_credits_back_and_the_payment_shows_disputed()
    {
        const long userId = 7008;
        await StartAsync();
        var paymentIntent = "pi_web_" + Guid.NewGuid().ToString("N");
        await PaidCheckoutAsync(userId, "small", paymentIntent, deliveries: 1);

        var dispute = DisputeEvent("charge.dispute.created", "dp_" + Guid.NewGuid().ToString("N"), paymentIntent, amount: 199);
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(Host.Http, dispute, Sign(dispute))).StatusCode);

        Assert.Equal(3, await BalanceAsync(userId));
        var payment = Assert.Single(await PaymentsAsync(userId));
        Assert.Equal(("disputed", 10), (payment.GetProperty("status").GetString(), payment.GetProperty("creditsTakenBack").GetInt32()));
    }

    [Fact]
    public async Task A_banned_user_is_refused_403_and_opens_no_session()
    {
        const long userId = 7009;
        await StartAsync();
        using (var first = await CheckoutAsync(userId, "small"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        await Host.WithDatabaseAsync(db => db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(x => x.BannedAt, DateTimeOffset.UtcNow)));
        using var response = await CheckoutAsync(userId, "small");

        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Single(_stripe!.SessionRequests);
    }

    [Fact]
    public async Task An_unknown_pack_is_400_problem_details_and_asks_nothing_of_stripe()
    {
        await StartAsync();

        using var response = await CheckoutAsync(7004, "huge");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("'huge'", problem.Detail, StringComparison.Ordinal);
        Assert.Empty(_stripe!.SessionRequests);
        Assert.False(await Host.WithDatabaseAsync(db => db.Set<Payment>().AnyAsync()));
    }

    [Fact]
    public async Task Stripe_failing_is_502_problem_details_and_records_nothing()
    {
        await StartAsync();
        _stripe!.FailWith = 500;

        using var response = await CheckoutAsync(7005, "large");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadGateway);
        Assert.Contains("Nothing was charged", problem.Detail, StringComparison.Ordinal);
        Assert.NotEmpty(_stripe.SessionRequests);
        Assert.False(await Host.WithDatabaseAsync(db => db.Set<Payment>().AnyAsync()));
    }

    [Fact]
    public async Task Stripe_unreachable_is_502_problem_details()
    {
        // A port nothing listens on: the connection is refused, as when Stripe cannot be reached at all.
        await StartAsync(stripeApi: new Uri($"http://127.0.0.1:{RedisServer.FreePort()}"));

        using var response = await CheckoutAsync(7006, "small");

        await AssertProblemAsync(response, HttpStatusCode.BadGateway);
        Assert.False(await Host.WithDatabaseAsync(db => db.Set<Payment>().AnyAsync()));
    }

    [Fact]
    public async Task Without_stripe_configured_checkout_is_503_with_the_reason_and_packs_say_cards_are_off()
    {
        await StartAsync(stripe: false);

        using var response = await CheckoutAsync(7007, "small");

        var problem = await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("Stripe:SecretKey", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("/buy", problem.Detail, StringComparison.Ordinal);
        using var packs = await SendAsync(HttpMethod.Get, "/web/api/packs", 7007);
        Assert.False((await packs.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("cardPayments").GetBoolean());
    }

    [Fact]
    public async Task A_request_not_signed_in_is_refused_and_opens_nothing()
    {
        await StartAsync();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/web/api/checkout") { Content = JsonContent.Create(new { packId = "small" }) };
        using var response = await Host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_stripe!.SessionRequests);
    }

    private async Task StartAsync(bool stripe = true, Uri? stripeApi = null)
    {
        var settings = new Dictionary<string, string?>();
        if (stripe)
        {
            if (stripeApi is null)
            {
                _stripe = await FakeStripeApi.StartAsync();
            }

            settings["Stripe:SecretKey"] = "sk_test_fake";
            settings["Stripe:WebhookSecret"] = Secret;
            settings["Stripe:ApiBaseUrl"] = (stripeApi ?? _stripe!.BaseAddress).ToString();
            // No retries against the closed port: the test is about the answer, not Stripe.net's backoff.
            settings["Stripe:MaxNetworkRetries"] = "0";
        }

        _host = await BotApiHost.StartAsync(settings, services: WebCheckoutTestHost.AddSignedInWebApi);
    }

    /// <summary>Opens a checkout on the web and delivers Stripe's signed <c>checkout.session.completed</c> for it.</summary>
    private async Task<string> PaidCheckoutAsync(long userId, string packId, string paymentIntent, int deliveries)
    {
        using var response = await CheckoutAsync(userId, packId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var url = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!;
        var sessionId = url[(url.LastIndexOf('/') + 1)..];
        var json = SessionEvent(Completed, sessionId, userId, packId, paymentIntentId: paymentIntent);
        for (var i = 0; i < deliveries; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(Host.Http, json, Sign(json))).StatusCode);
        }

        return sessionId;
    }

    private Task<HttpResponseMessage> CheckoutAsync(long userId, string packId) =>
        SendAsync(HttpMethod.Post, "/web/api/checkout", userId, JsonContent.Create(new { packId }));

    private async Task<JsonElement[]> PaymentsAsync(long userId)
    {
        using var response = await SendAsync(HttpMethod.Get, "/web/api/payments", userId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()];
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, long userId, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add(WebCheckoutTestHost.UserHeader, userId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return await Host.Http.SendAsync(request);
    }

    private static async Task<ProblemDetails> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal((int)status, problem!.Status);
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
        return problem;
    }

    private Task<int> BalanceAsync(long userId) =>
        Host.WithDatabaseAsync(db => db.CreditLedger.Where(e => e.UserId == userId).SumAsync(e => e.Amount));
}
