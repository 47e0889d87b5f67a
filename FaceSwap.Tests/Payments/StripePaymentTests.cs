using System.Net;
using System.Net.Http.Json;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Payments;
using FaceSwap.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static FaceSwap.Tests.Payments.StripeWebhookSigner;

namespace FaceSwap.Tests.Payments;

/// <summary>
/// Card purchases, which belong to sales made outside Telegram: a Checkout Session from the (fake) Stripe API, credited
/// from signed webhook events. The chat itself sells for Stars only.
/// </summary>
public sealed class StripePaymentTests : IAsyncLifetime
{
    private const string Completed = "checkout.session.completed";
    private const string AsyncSucceeded = "checkout.session.async_payment_succeeded";
    private const string AsyncFailed = "checkout.session.async_payment_failed";

    private FakeStripeApi _stripe = null!;
    private BotApiHost _host = null!;

    public async Task InitializeAsync()
    {
        _stripe = await FakeStripeApi.StartAsync();
        _host = await BotApiHost.StartAsync(new Dictionary<string, string?>
        {
            ["Stripe:SecretKey"] = "sk_test_fake",
            ["Stripe:WebhookSecret"] = Secret,
            ["Stripe:ApiBaseUrl"] = _stripe.BaseAddress.ToString(),
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _stripe.DisposeAsync();
    }

    [Fact]
    public async Task The_chat_offers_only_stars_even_with_stripe_configured_and_an_old_card_button_gets_the_rule()
    {
        const long userId = 6000;
        var menu = await _host.SayAndWaitAsync(userId, "/buy");
        var buttons = BotApiHost.ButtonsOf(menu);
        Assert.Equal(3, buttons.Count);
        Assert.All(buttons, b => Assert.StartsWith("buy:stars:", b.Data, StringComparison.Ordinal));

        // A card button of a /buy message sent before the change (the emulator only presses buttons that exist, so the
        // press comes straight to the webhook, as Telegram would deliver it).
        var before = (await _host.BotMessagesAsync(userId)).Length;
        var press = new HttpRequestMessage(HttpMethod.Post, "/telegram/webhook")
        {
            Content = JsonContent.Create(new
            {
                update_id = 990_001,
                callback_query = new
                {
                    id = "old-card-button",
                    from = new { id = userId, is_bot = false, first_name = "Tester" },
                    chat_instance = "1",
                    data = "buy:card:small",
                    message = new { message_id = menu.GetProperty("messageId").GetInt64(), date = 0, chat = new { id = userId, type = "private" } },
                },
            }),
        };
        press.Headers.Add("X-Telegram-Bot-Api-Secret-Token", BotApiHost.WebhookSecret);
        (await _host.Http.SendAsync(press)).EnsureSuccessStatusCode();
        var reply = await _host.WaitForBotMessageAsync(userId, _ => true, before);
        Assert.StartsWith("In Telegram, credits are sold for Telegram Stars only", BotApiHost.TextOf(reply), StringComparison.Ordinal);
        Assert.All(BotApiHost.ButtonsOf(reply), b => Assert.StartsWith("buy:stars:", b.Data, StringComparison.Ordinal));
        Assert.Empty(_stripe.SessionRequests);
    }

    [Fact]
    public async Task A_checkout_session_and_a_webhook_delivered_twice_credit_once()
    {
        const long userId = 6001;
        var url = await OpenCheckoutAsync(userId, "small");

        var request = Assert.Single(_stripe.SessionRequests);
        Assert.Equal("Bearer sk_test_fake", request["authorization"]);
        Assert.Equal("payment", request["mode"]);
        Assert.Equal("6001", request["client_reference_id"]);
        Assert.Equal(("6001", "small", "10"), (request["metadata[user_id]"], request["metadata[pack_id]"], request["metadata[credits]"]));
        Assert.Equal(("199", "eur"), (request["line_items[0][price_data][unit_amount]"], request["line_items[0][price_data][currency]"]));
        Assert.Equal("https://t.me/faceswap_local_bot", request["success_url"]);
        var sessionId = url[(url.LastIndexOf('/') + 1)..];
        Assert.Equal(PaymentStatus.Pending, (await PaymentAsync(sessionId))!.Status);

        var json = SessionEvent(Completed, sessionId, userId);
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(_host.Http, json, Sign(json))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(_host.Http, json, Sign(json))).StatusCode);

        await AssertCreditedOnceAsync(userId, sessionId);
        Assert.Equal(13, await BalanceAsync(userId)); // 3 free + 10 bought
    }

    [Fact]
    public async Task Async_success_before_completed_credits_once_and_a_late_failure_changes_nothing()
    {
        const long userId = 6002;
        await _host.SayAndWaitAsync(userId, "/start");
        var sessionId = "cs_test_order_" + Guid.NewGuid().ToString("N");

        foreach (var json in new[]
        {
            SessionEvent(AsyncSucceeded, sessionId, userId),
            SessionEvent(Completed, sessionId, userId, paymentStatus: "unpaid"),
            SessionEvent(Completed, sessionId, userId),
            SessionEvent(AsyncFailed, sessionId, userId, paymentStatus: "unpaid"),
        })
        {
            Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(_host.Http, json, Sign(json))).StatusCode);
        }

        await AssertCreditedOnceAsync(userId, sessionId);
        Assert.Equal(PaymentStatus.Paid, (await PaymentAsync(sessionId))!.Status);
        Assert.DoesNotContain(await _host.BotMessagesAsync(userId), m => BotApiHost.TextOf(m).Contains("did not go through", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Concurrent_deliveries_of_completed_and_async_succeeded_credit_once()
    {
        const long userId = 6003;
        await _host.SayAndWaitAsync(userId, "/start");
        var sessionId = "cs_test_concurrent_" + Guid.NewGuid().ToString("N");
        var events = Enumerable.Range(0, 12)
            .Select(i => SessionEvent(i % 2 == 0 ? Completed : AsyncSucceeded, sessionId, userId, packId: "medium", credits: 50, amount: 699))
            .ToList();

        var responses = await Task.WhenAll(events.Select(json => DeliverAsync(_host.Http, json, Sign(json))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await AssertCreditedOnceAsync(userId, sessionId);
        Assert.Equal(53, await BalanceAsync(userId));
    }

    [Fact]
    public async Task A_bad_missing_or_stale_signature_gets_400_problem_details_and_changes_nothing()
    {
        const long userId = 6004;
        await _host.SayAndWaitAsync(userId, "/start");
        var sessionId = "cs_test_forged_" + Guid.NewGuid().ToString("N");
        var json = SessionEvent(Completed, sessionId, userId);

        var attempts = new (string Why, string? Signature)[]
        {
            ("wrong secret", Sign(json, secret: "whsec_someone_else")),
            ("no header", null),
            ("garbage header", "t=1,v1=00"),
            ("stale (10 minutes old)", Sign(json, DateTimeOffset.UtcNow.AddMinutes(-10))),
            ("body changed after signing", Sign(json.Replace("\"credits\":\"10\"", "\"credits\":\"11\"", StringComparison.Ordinal))),
        };
        foreach (var (why, signature) in attempts)
        {
            using var response = await DeliverAsync(_host.Http, json, signature);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{why}: got {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>();
            Assert.Equal(400, problem!.Status);
        }

        Assert.Null(await PaymentAsync(sessionId));
        Assert.Equal(3, await BalanceAsync(userId));
        Assert.False(await _host.WithDatabaseAsync(db => db.CreditLedger.AnyAsync(e => e.Reference.StartsWith("stripe:"))));
    }

    [Fact]
    public async Task Unknown_event_types_and_foreign_sessions_are_acknowledged_and_ignored()
    {
        var charge = """{"id":"evt_1","object":"event","api_version":"2024-06-20","created":1,"type":"charge.succeeded","livemode":false,"pending_webhooks":1,"data":{"object":{"id":"ch_1","object":"charge","amount":100}}}""";
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(_host.Http, charge, Sign(charge))).StatusCode);

        var foreign = SessionEvent(Completed, "cs_test_foreign", 6005).Replace("\"pack_id\":\"small\",", "", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(_host.Http, foreign, Sign(foreign))).StatusCode);

        Assert.False(await _host.WithDatabaseAsync(db => db.Set<Payment>().AnyAsync()));
        Assert.False(await _host.WithDatabaseAsync(db => db.CreditLedger.AnyAsync(e => e.Reference.StartsWith("stripe:"))));
    }

    [Fact]
    public async Task A_failed_delayed_payment_tells_the_buyer_once_and_credits_nothing()
    {
        const long userId = 6006;
        await _host.SayAndWaitAsync(userId, "/start");
        var sessionId = "cs_test_failed_" + Guid.NewGuid().ToString("N");

        foreach (var json in new[]
        {
            SessionEvent(Completed, sessionId, userId, paymentStatus: "unpaid"),
            SessionEvent(AsyncFailed, sessionId, userId, paymentStatus: "unpaid"),
            SessionEvent(AsyncFailed, sessionId, userId, paymentStatus: "unpaid"),
        })
        {
            Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(_host.Http, json, Sign(json))).StatusCode);
        }

        Assert.Equal(PaymentStatus.Failed, (await PaymentAsync(sessionId))!.Status);
        Assert.Equal(3, await BalanceAsync(userId));
        Assert.Single(await _host.BotMessagesAsync(userId), m => BotApiHost.TextOf(m).Contains("did not go through", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_stripe_refuses_to_open_a_session_nothing_is_recorded()
    {
        const long userId = 6007;
        _stripe.FailWith = 500;

        await Assert.ThrowsAnyAsync<Stripe.StripeException>(() => OpenCheckoutAsync(userId, "large"));

        Assert.False(await _host.WithDatabaseAsync(db => db.Set<Payment>().AnyAsync()));
    }

    /// <summary>Opens a Checkout Session for a user of the bot, as a sale outside the chat does; returns its page URL.</summary>
    private async Task<string> OpenCheckoutAsync(long userId, string packId)
    {
        await _host.SayAndWaitAsync(userId, "/start");
        await using var scope = _host.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<FaceSwapDbContext>().Users.SingleAsync(u => u.Id == userId);
        var pack = scope.ServiceProvider.GetRequiredService<IOptions<PaymentsOptions>>().Value.FindPack(packId)!;
        return await scope.ServiceProvider.GetRequiredService<StripeCheckout>().CreateSessionAsync(user, pack, CancellationToken.None);
    }

    private async Task AssertCreditedOnceAsync(long userId, string sessionId)
    {
        var entries = await _host.WithDatabaseAsync(db => db.CreditLedger.Where(e => e.Reference == $"stripe:{sessionId}").ToListAsync());
        var entry = Assert.Single(entries);
        Assert.Equal((userId, CreditEntryKind.Purchase), (entry.UserId, entry.Kind));
        var payment = await PaymentAsync(sessionId);
        Assert.Equal(PaymentStatus.Paid, payment!.Status);
        Assert.Equal(entry.Amount, payment.Credits);
        // The thanks is sent within the webhook request, so it is there once the request answered.
        Assert.Single(await _host.BotMessagesAsync(userId), m => BotApiHost.TextOf(m).StartsWith("Thank you for your purchase", StringComparison.Ordinal));
    }

    private Task<Payment?> PaymentAsync(string sessionId) =>
        _host.WithDatabaseAsync(db => db.Set<Payment>().AsNoTracking().SingleOrDefaultAsync(p => p.Provider == PaymentProvider.Stripe && p.ExternalId == sessionId));

    private Task<int> BalanceAsync(long userId) =>
        _host.WithDatabaseAsync(db => db.CreditLedger.Where(e => e.UserId == userId).SumAsync(e => e.Amount));
}
