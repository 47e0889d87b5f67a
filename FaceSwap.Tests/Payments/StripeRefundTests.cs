using System.Collections.Concurrent;
using System.Net;
using FaceSwap.BotApi.Credits;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Operations.Alerts;
using FaceSwap.BotApi.Payments;
using FaceSwap.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using static FaceSwap.Tests.Payments.StripeWebhookSigner;

namespace FaceSwap.Tests.Payments;

/// <summary>
/// Card refunds and disputes through the signed webhook: <c>charge.refunded</c> and <c>charge.dispute.created</c>
/// find the payment by the PaymentIntent its paid session named, and take its credits back once.
/// </summary>
public sealed class StripeRefundTests : IAsyncLifetime
{
    private const string Completed = "checkout.session.completed";
    private const string DisputeCreated = "charge.dispute.created";
    private const string DisputeClosed = "charge.dispute.closed";

    private readonly RecordingAlertSink _alerts = new();
    private BotApiHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await BotApiHost.StartAsync(new Dictionary<string, string?>
        {
            ["Stripe:SecretKey"] = "sk_test_fake",
            ["Stripe:WebhookSecret"] = Secret,
            ["Ops:AlertChatId"] = "-100777",
        }, services: services => services.Replace(ServiceDescriptor.Singleton<IAlertSink>(_alerts)));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_full_refund_takes_back_all_the_credits_once_and_tells_the_buyer_once()
    {
        const long userId = 7001;
        var (sessionId, intentId) = await BuyAsync(userId, "small", 10, 199);
        Assert.Equal(13, await BalanceAsync(userId));

        var refund = ChargeRefundedEvent(intentId, 199, 199);
        await DeliverOkAsync(refund);
        await DeliverOkAsync(refund);

        Assert.Equal(3, await BalanceAsync(userId));
        var row = Assert.Single(await TakeBackRowsAsync(sessionId));
        Assert.Equal((userId, -10, CreditEntryKind.Refund, $"stripe:{sessionId}:refund:199"), (row.UserId, row.Amount, row.Kind, row.Reference));
        var payment = await PaymentAsync(sessionId);
        Assert.Equal((PaymentStatus.Refunded, 10, 199L), (payment.Status, payment.CreditsTakenBack, payment.AmountRefunded));
        Assert.NotNull(payment.RefundedAt);
        var told = Assert.Single(await BuyerMessagesAsync(userId, "refunded"));
        Assert.Equal("Your card payment for 10 credits was refunded in full. 10 credits were taken back in all; you now have 3 credits.", told);
    }

    [Fact]
    public async Task A_partial_refund_takes_back_a_proportional_share_and_the_rest_when_refunded_in_full()
    {
        const long userId = 7002;
        var (sessionId, intentId) = await BuyAsync(userId, "medium", 50, 699);

        // 350 of 699 cents: floor(50 * 350 / 699) = 25 credits.
        await DeliverOkAsync(ChargeRefundedEvent(intentId, 699, 350));
        Assert.Equal(53 - 25, await BalanceAsync(userId));
        var partly = await PaymentAsync(sessionId);
        Assert.Equal((PaymentStatus.Paid, 25, 350L), (partly.Status, partly.CreditsTakenBack, partly.AmountRefunded));

        // A second refund of 100 cents: 450 in all, floor(50 * 450 / 699) = 32, so 7 more.
        await DeliverOkAsync(ChargeRefundedEvent(intentId, 699, 450));
        Assert.Equal(53 - 32, await BalanceAsync(userId));

        await DeliverOkAsync(ChargeRefundedEvent(intentId, 699, 699));
        Assert.Equal(3, await BalanceAsync(userId));
        Assert.Equal(
            [($"stripe:{sessionId}:refund:350", -25), ($"stripe:{sessionId}:refund:450", -7), ($"stripe:{sessionId}:refund:699", -18)],
            (await TakeBackRowsAsync(sessionId)).Select(e => (e.Reference, e.Amount)));
        Assert.Equal((PaymentStatus.Refunded, 50), ((await PaymentAsync(sessionId)).Status, (await PaymentAsync(sessionId)).CreditsTakenBack));
        Assert.Equal(
        [
            "Part of your card payment for 50 credits was refunded. 25 credits were taken back in all; you now have 28 credits.",
            "Part of your card payment for 50 credits was refunded. 32 credits were taken back in all; you now have 21 credits.",
            "Your card payment for 50 credits was refunded in full. 50 credits were taken back in all; you now have 3 credits.",
        ], await BuyerMessagesAsync(userId, "refunded"));
    }

    [Fact]
    public async Task Repeated_and_out_of_order_refund_events_take_back_once()
    {
        const long userId = 7003;
        var (sessionId, intentId) = await BuyAsync(userId, "medium", 50, 699);
        var partial = ChargeRefundedEvent(intentId, 699, 350);
        var full = ChargeRefundedEvent(intentId, 699, 699);

        // The full refund's event arrives first; the partial one before it is late, and both are redelivered.
        foreach (var json in new[] { full, partial, full, partial })
        {
            await DeliverOkAsync(json);
        }

        Assert.Equal(3, await BalanceAsync(userId));
        var row = Assert.Single(await TakeBackRowsAsync(sessionId));
        Assert.Equal(($"stripe:{sessionId}:refund:699", -50), (row.Reference, row.Amount));
        Assert.Equal(50, (await PaymentAsync(sessionId)).CreditsTakenBack);
        Assert.Single(await BuyerMessagesAsync(userId, "refunded"));
    }

    [Fact]
    public async Task Concurrent_deliveries_of_two_refund_steps_take_back_the_pack_once()
    {
        const long userId = 7004;
        var (sessionId, intentId) = await BuyAsync(userId, "medium", 50, 699);
        var partial = ChargeRefundedEvent(intentId, 699, 350);
        var full = ChargeRefundedEvent(intentId, 699, 699);

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => DeliverAsync(_host.Http, i % 2 == 0 ? full : partial, Sign(i % 2 == 0 ? full : partial))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        // Whichever step won the race, the pack's 50 credits went back once: 50 in one line, or 25 and 25.
        Assert.Equal(3, await BalanceAsync(userId));
        Assert.Equal(-50, (await TakeBackRowsAsync(sessionId)).Sum(e => e.Amount));
        Assert.Equal(50, (await PaymentAsync(sessionId)).CreditsTakenBack);
    }

    [Fact]
    public async Task A_refund_after_credits_were_spent_takes_what_is_left_and_never_goes_below_zero()
    {
        const long userId = 7005;
        var (sessionId, intentId) = await BuyAsync(userId, "small", 10, 199);
        Assert.True(await _host.WithServiceAsync<CreditLedger, bool>(ledger => ledger.TrySpendAsync(userId, 12, "test:spent-before-refund", CancellationToken.None)));

        await DeliverOkAsync(ChargeRefundedEvent(intentId, 199, 100));
        await DeliverOkAsync(ChargeRefundedEvent(intentId, 199, 199));

        Assert.Equal(0, await BalanceAsync(userId));
        // 50 cents' worth is 5 credits but only 1 was left; the full refund then found nothing more to take.
        Assert.Equal([($"stripe:{sessionId}:refund:100", -1), ($"stripe:{sessionId}:refund:199", 0)],
            (await TakeBackRowsAsync(sessionId)).Select(e => (e.Reference, e.Amount)));
        var payment = await PaymentAsync(sessionId);
        Assert.Equal((PaymentStatus.Refunded, 1), (payment.Status, payment.CreditsTakenBack));
        Assert.EndsWith("1 credits were taken back in all; you now have 0 credits.", (await BuyerMessagesAsync(userId, "refunded"))[^1], StringComparison.Ordinal);

        // Credits bought later are not taken by a redelivered or late event of the refund that came up short.
        await BuyAsync(userId, "small", 10, 199);
        await DeliverOkAsync(ChargeRefundedEvent(intentId, 199, 100));
        await DeliverOkAsync(ChargeRefundedEvent(intentId, 199, 199));
        await DeliverOkAsync(ChargeRefundedEvent(intentId, 199, 150));
        Assert.Equal(10, await BalanceAsync(userId));
        Assert.Equal(2, (await TakeBackRowsAsync(sessionId)).Count);
    }

    [Fact]
    public async Task A_dispute_takes_back_the_remaining_credits_once_alerts_the_operators_and_tells_the_buyer()
    {
        const long userId = 7006;
        var (sessionId, intentId) = await BuyAsync(userId, "medium", 50, 699);
        await DeliverOkAsync(ChargeRefundedEvent(intentId, 699, 350));
        Assert.Equal(28, await BalanceAsync(userId));

        var dispute = DisputeEvent(DisputeCreated, "dp_test_7006", intentId, 349);
        await DeliverOkAsync(dispute);
        await DeliverOkAsync(dispute);
        // A later refund event (the dispute is what returned the money) and a won dispute change nothing.
        await DeliverOkAsync(ChargeRefundedEvent(intentId, 699, 699));
        await DeliverOkAsync(DisputeEvent(DisputeClosed, "dp_test_7006", intentId, 349, status: "won"));

        Assert.Equal(3, await BalanceAsync(userId));
        Assert.Equal([($"stripe:{sessionId}:refund:350", -25), ($"stripe:{sessionId}:dispute", -25)],
            (await TakeBackRowsAsync(sessionId)).Select(e => (e.Reference, e.Amount)));
        var payment = await PaymentAsync(sessionId);
        Assert.NotNull(payment.DisputedAt);
        Assert.Equal(50, payment.CreditsTakenBack);

        var alert = Assert.Single(_alerts.Texts, t => t.Contains("dispute", StringComparison.Ordinal));
        Assert.Contains("dp_test_7006", alert, StringComparison.Ordinal);
        Assert.Contains(sessionId, alert, StringComparison.Ordinal);
        Assert.Contains("took back 25 of 50 credits", alert, StringComparison.Ordinal);
        var told = Assert.Single(await BuyerMessagesAsync(userId, "dispute"));
        Assert.Equal("Your bank reported a dispute of your card payment for 50 credits, so the pack's remaining credits were taken back (50 in all). You now have 3 credits. If this is a mistake, write /paysupport.", told);
    }

    [Fact]
    public async Task Charge_events_this_bot_does_not_know_are_acknowledged_and_change_nothing()
    {
        const long userId = 7007;
        var (sessionId, _) = await BuyAsync(userId, "small", 10, 199);

        foreach (var json in new[]
        {
            ChargeRefundedEvent("pi_someone_else", 199, 199),
            ChargeRefundedEvent(null, 199, 199),
            DisputeEvent(DisputeCreated, "dp_someone_else", "pi_someone_else", 199),
        })
        {
            await DeliverOkAsync(json);
        }

        Assert.Equal(13, await BalanceAsync(userId));
        Assert.Empty(await TakeBackRowsAsync(sessionId));
        Assert.False(await _host.WithDatabaseAsync(db => db.CreditLedger.AnyAsync(e => e.Kind == CreditEntryKind.Refund)));
        var payment = await PaymentAsync(sessionId);
        Assert.Equal((PaymentStatus.Paid, 0, (DateTimeOffset?)null), (payment.Status, payment.CreditsTakenBack, payment.DisputedAt));
        Assert.DoesNotContain(_alerts.Texts, t => t.Contains("dispute", StringComparison.Ordinal));
    }

    /// <summary>A card purchase credited from its paid session, which names the PaymentIntent that charge events carry.</summary>
    private async Task<(string SessionId, string PaymentIntentId)> BuyAsync(long userId, string packId, int credits, long amount)
    {
        await _host.SayAndWaitAsync(userId, "/start");
        var sessionId = "cs_test_refund_" + Guid.NewGuid().ToString("N");
        var intentId = "pi_test_" + Guid.NewGuid().ToString("N");
        await DeliverOkAsync(SessionEvent(Completed, sessionId, userId, packId, credits, amount: amount, paymentIntentId: intentId));
        Assert.Equal(intentId, (await PaymentAsync(sessionId)).PaymentIntentId);
        return (sessionId, intentId);
    }

    private async Task DeliverOkAsync(string json)
    {
        using var response = await DeliverAsync(_host.Http, json, Sign(json));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private Task<List<CreditEntry>> TakeBackRowsAsync(string sessionId) =>
        _host.WithDatabaseAsync(db => db.CreditLedger.AsNoTracking()
            .Where(e => e.Reference.StartsWith($"stripe:{sessionId}:")).OrderBy(e => e.Id).ToListAsync());

    private async Task<Payment> PaymentAsync(string sessionId) =>
        await _host.WithDatabaseAsync(db => db.Set<Payment>().AsNoTracking().SingleAsync(p => p.Provider == PaymentProvider.Stripe && p.ExternalId == sessionId));

    private Task<int> BalanceAsync(long userId) =>
        _host.WithDatabaseAsync(db => db.CreditLedger.Where(e => e.UserId == userId).SumAsync(e => e.Amount));

    /// <summary>The bot's messages to the buyer that contain <paramref name="word"/>; sent within the webhook request.</summary>
    private async Task<string[]> BuyerMessagesAsync(long userId, string word) =>
        (await _host.BotMessagesAsync(userId)).Select(BotApiHost.TextOf).Where(t => t.Contains(word, StringComparison.Ordinal)).ToArray();

    private sealed class RecordingAlertSink : IAlertSink
    {
        private readonly ConcurrentQueue<string> _texts = new();

        public IReadOnlyCollection<string> Texts => _texts;

        public Task SendAsync(string text, CancellationToken cancellationToken)
        {
            _texts.Enqueue(text);
            return Task.CompletedTask;
        }
    }
}
