using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Payments;
using FaceSwap.BotApi.Telegram;
using FaceSwap.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Payments;

namespace FaceSwap.Tests.Payments;

/// <summary>Telegram Stars through the emulator: invoice, pre-checkout, successful payment, refunds; admin commands.</summary>
public sealed class StarsPaymentTests : IAsyncLifetime
{
    private const long Admin = 5000;

    private BotApiHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await BotApiHost.StartAsync(new Dictionary<string, string?> { ["Payments:AdminUserIds:0"] = "5000" });

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Fact]
    public async Task A_stars_payment_is_counted_as_credits_sold()
    {
        // This host's meter factory only: another bot API host in the process (a test class in parallel) records too.
        using var sold = new MetricCollector<long>(_host.Services.GetRequiredService<IMeterFactory>(), "FaceSwap", "faceswap.credits.sold");

        const long userId = 5109;
        var menu = await _host.SayAndWaitAsync(userId, "/buy");
        var invoice = await PressAndWaitAsync(userId, menu, "buy:stars:small", m => m.GetProperty("method").GetString() == "sendInvoice");
        Assert.Equal("paid", (await PayAsync(userId, invoice)).GetProperty("status").GetString());
        await _host.WaitForBotMessageAsync(userId, m => BotApiHost.TextOf(m).StartsWith("Thank you", StringComparison.Ordinal));

        Assert.Contains(sold.GetMeasurementSnapshot(), m => m.Value == 10 && (string?)m.Tags["provider"] == "stars");
    }

    [Fact]
    public async Task A_stars_payment_credits_once_a_refund_takes_the_credits_back_once_and_a_second_refund_is_refused()
    {
        const long userId = 5101;
        var menu = await _host.SayAndWaitAsync(userId, "/buy");
        var buttons = BotApiHost.ButtonsOf(menu);
        Assert.Equal(["buy:stars:small", "buy:stars:medium", "buy:stars:large"], buttons.Select(b => b.Data));
        Assert.Equal("⭐ 10 credits — 50 Stars", buttons[0].Text);

        var invoice = await PressAndWaitAsync(userId, menu, "buy:stars:small", m => m.GetProperty("method").GetString() == "sendInvoice");
        var pay = await PayAsync(userId, invoice);
        Assert.Equal("paid", pay.GetProperty("status").GetString());
        var chargeId = pay.GetProperty("chargeId").GetString()!;
        var thanks = await _host.WaitForBotMessageAsync(userId, m => BotApiHost.TextOf(m).StartsWith("Thank you", StringComparison.Ordinal));
        Assert.Equal("Thank you for your purchase! 10 credits added; you now have 13 credits.", BotApiHost.TextOf(thanks));

        // The same successful payment reported again (as a new update) credits nothing more.
        await RedeliverSuccessfulPaymentAsync(userId, chargeId);
        var payment = await PaymentAsync(chargeId);
        Assert.Equal((PaymentStatus.Paid, 10, 50L, "XTR"), (payment!.Status, payment.Credits, payment.Amount, payment.Currency));
        Assert.Equal(13, await BalanceAsync(userId));
        Assert.Single(await LedgerAsync(userId, CreditEntryKind.Purchase));

        var refunded = await _host.SayAndWaitAsync(Admin, $"/refund {chargeId}");
        Assert.Equal($"Refunded 50 Stars to user {userId}; took back 10 of 10 credits.", BotApiHost.TextOf(refunded));
        Assert.Equal(3, await BalanceAsync(userId));
        await _host.WaitForBotMessageAsync(userId, m => BotApiHost.TextOf(m).StartsWith("Your payment of 50 Stars was refunded", StringComparison.Ordinal));

        var again = await _host.SayAndWaitAsync(Admin, $"/refund {chargeId}");
        Assert.StartsWith("That payment was already refunded", BotApiHost.TextOf(again), StringComparison.Ordinal);
        // Telegram refunded the Stars once: a second refund there is refused too.
        var twice = await Assert.ThrowsAsync<ApiRequestException>(() => _host.Emulator.Bot().RefundStarPayment(userId, chargeId));
        Assert.Equal("Bad Request: CHARGE_ALREADY_REFUNDED", twice.Message);

        // Telegram's refunded_payment message (handled after the admin's commands) takes nothing more.
        var balance = await _host.SayAndWaitAsync(userId, "/balance");
        Assert.StartsWith("You have 3 credits.\n\nYour last purchases:\n", BotApiHost.TextOf(balance), StringComparison.Ordinal);
        Assert.EndsWith("10 credits for 50 ⭐ (refunded)", BotApiHost.TextOf(balance), StringComparison.Ordinal);
        var takeBack = Assert.Single(await LedgerAsync(userId, CreditEntryKind.Refund));
        Assert.Equal(-10, takeBack.Amount);
        Assert.Equal(PaymentStatus.Refunded, (await PaymentAsync(chargeId))!.Status);
        var stats = BotApiHost.TextOf(await _host.SayAndWaitAsync(Admin, "/stats"));
        Assert.Contains("TelegramStars refunded: 1 payments, 50 Stars, 10 credits", stats, StringComparison.Ordinal);
        Assert.Contains($"user {userId} small 50 ⭐ refunded: {chargeId}", stats, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refund_left_half_done_by_a_crash_is_finished_by_the_next_refund_and_the_buyer_is_told_once()
    {
        const long userId = 5102;
        var menu = await _host.SayAndWaitAsync(userId, "/buy");
        var invoice = await PressAndWaitAsync(userId, menu, "buy:stars:small", m => m.GetProperty("method").GetString() == "sendInvoice");
        var chargeId = (await PayAsync(userId, invoice)).GetProperty("chargeId").GetString()!;
        await _host.WaitForBotMessageAsync(userId, m => BotApiHost.TextOf(m).StartsWith("Thank you", StringComparison.Ordinal));

        // The bot's refund reached Telegram and the process died before it told the buyer: Telegram's refunded_payment
        // message books it here, and nobody has told the buyer.
        await _host.Emulator.Bot().RefundStarPayment(userId, chargeId);
        await _host.WaitUntilAsync(async db => (await db.Set<Payment>().SingleAsync(p => p.ExternalId == chargeId)).Status == PaymentStatus.Refunded);

        // The operator, seeing no notice, runs /refund again: it is already refunded, and now the buyer is told.
        var again = await _host.SayAndWaitAsync(Admin, $"/refund {chargeId}");
        Assert.StartsWith("That payment was already refunded", BotApiHost.TextOf(again), StringComparison.Ordinal);
        var notice = await _host.WaitForBotMessageAsync(userId, m => BotApiHost.TextOf(m).StartsWith("Your payment of 50 Stars was refunded", StringComparison.Ordinal));
        Assert.Equal("Your payment of 50 Stars was refunded; 10 credits were taken back. You now have 3 credits.", BotApiHost.TextOf(notice));

        // A third /refund tells the buyer nothing more. The admin's chat handles one update after another, so once
        // /stats is answered the third /refund's handling, notice included, is over.
        await _host.SayAndWaitAsync(Admin, $"/refund {chargeId}");
        await _host.SayAndWaitAsync(Admin, "/stats");
        Assert.Single(await _host.BotMessagesAsync(userId), m => BotApiHost.TextOf(m).StartsWith("Your payment of 50 Stars was refunded", StringComparison.Ordinal));
        Assert.Equal(3, await BalanceAsync(userId));
    }

    [Fact]
    public async Task A_buyer_who_blocked_the_bot_is_refunded_and_the_operators_chat_goes_on()
    {
        const long userId = 5103;
        var menu = await _host.SayAndWaitAsync(userId, "/buy");
        var invoice = await PressAndWaitAsync(userId, menu, "buy:stars:small", m => m.GetProperty("method").GetString() == "sendInvoice");
        var chargeId = (await PayAsync(userId, invoice)).GetProperty("chargeId").GetString()!;
        await _host.WaitForBotMessageAsync(userId, m => BotApiHost.TextOf(m).StartsWith("Thank you", StringComparison.Ordinal));
        (await _host.Emulator.Http.PostAsync($"/control/users/{userId}/block", null)).EnsureSuccessStatusCode();

        // Telegram answers 403 to the buyer's notice: that is the buyer's chat, not the operator's.
        var refunded = await _host.SayAndWaitAsync(Admin, $"/refund {chargeId}");
        Assert.Equal($"Refunded 50 Stars to user {userId}; took back 10 of 10 credits.", BotApiHost.TextOf(refunded));
        Assert.Equal(PaymentStatus.Refunded, (await PaymentAsync(chargeId))!.Status);
        // The operator's chat handles one update after another: once /stats is answered, the /refund is done with.
        Assert.Contains("TelegramStars refunded", BotApiHost.TextOf(await _host.SayAndWaitAsync(Admin, "/stats")), StringComparison.Ordinal);
        var adminErrors = await _host.WithDatabaseAsync(db => db.InboxUpdates.Where(u => u.ChatId == Admin && u.LastError != null).Select(u => u.LastError!).ToListAsync());
        Assert.Empty(adminErrors);
    }

    [Theory]
    [InlineData("p1:gold:10:{0}", 50, "This pack is no longer on sale. Please choose again with /buy.")]
    [InlineData("p1:small:10:{0}", 1, "This pack is no longer on sale. Please choose again with /buy.")]
    [InlineData("p1:small:10:77", 50, "This invoice was made for someone else. Please open /buy yourself.")]
    [InlineData("not-ours", 50, "This pack is no longer on sale. Please choose again with /buy.")]
    public async Task A_pre_checkout_for_an_unknown_pack_wrong_price_or_other_user_is_declined_with_a_reason(string payload, int stars, string reason)
    {
        const long userId = 5201;
        await _host.SayAndWaitAsync(userId, "/start");
        // An invoice the bot could have sent before its packs changed: sent with the bot's own token.
        var invoice = await _host.Emulator.Bot().SendInvoice(userId, "Pack", "Pack",
            string.Format(System.Globalization.CultureInfo.InvariantCulture, payload, userId), "XTR", [new LabeledPrice("Pack", stars)]);

        var result = await (await _host.Emulator.Http.PostAsJsonAsync($"/control/users/{userId}/pay", new { messageId = invoice.Id }))
            .Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("declined", result.GetProperty("status").GetString());
        Assert.Equal(reason, result.GetProperty("errorMessage").GetString());
        Assert.False(await _host.WithDatabaseAsync(db => db.Set<Payment>().AnyAsync()));
        Assert.Equal(3, await BalanceAsync(userId));
    }

    [Fact]
    public async Task Without_stripe_buy_offers_stars_only()
    {
        var menu = await _host.SayAndWaitAsync(5301, "/buy");

        Assert.Equal(3, BotApiHost.ButtonsOf(menu).Count);
        Assert.All(BotApiHost.ButtonsOf(menu), b => Assert.StartsWith("buy:stars:", b.Data, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Admin_commands_are_unknown_to_others_and_grant_and_stats_work_for_admins()
    {
        const long userId = 5401;
        await _host.SayAndWaitAsync(userId, "/start");
        foreach (var command in new[] { "/grant 5401 100", "/refund stxabc", "/stats" })
        {
            var reply = await _host.SayAndWaitAsync(userId, command);
            Assert.Equal("I don't know that command. /help lists what I can do.", BotApiHost.TextOf(reply));
        }

        Assert.Equal(3, await BalanceAsync(userId));

        var granted = await _host.SayAndWaitAsync(Admin, "/grant 5401 5");
        Assert.Equal("Changed user 5401's credits by 5; their balance is now 8.", BotApiHost.TextOf(granted));
        var takenBack = await _host.SayAndWaitAsync(Admin, "/grant 5401 -100");
        Assert.Equal("Changed user 5401's credits by -8; their balance is now 0.", BotApiHost.TextOf(takenBack));
        var usage = await _host.SayAndWaitAsync(Admin, "/grant 5401 lots");
        Assert.StartsWith("Usage: /grant", BotApiHost.TextOf(usage), StringComparison.Ordinal);
        // int.MinValue has no positive counterpart: the bound check must not overflow (it threw before).
        var smallest = await _host.SayAndWaitAsync(Admin, "/grant 5401 -2147483648");
        Assert.StartsWith("Usage: /grant", BotApiHost.TextOf(smallest), StringComparison.Ordinal);
        var unknown = await _host.SayAndWaitAsync(Admin, "/refund stxnosuchcharge");
        Assert.Equal("No Telegram Stars payment has that charge id.", BotApiHost.TextOf(unknown));

        var stats = BotApiHost.TextOf(await _host.SayAndWaitAsync(Admin, "/stats"));
        Assert.Contains("Users: 2", stats, StringComparison.Ordinal);
        Assert.Contains("Credits held: 3;", stats, StringComparison.Ordinal); // the admin's 3 free credits; the user's are gone
    }

    private async Task<JsonElement> PressAndWaitAsync(long userId, JsonElement message, string data, Func<JsonElement, bool> match)
    {
        var before = (await _host.BotMessagesAsync(userId)).Length;
        (await _host.Emulator.Http.PostAsJsonAsync($"/control/users/{userId}/callback",
            new { messageId = message.GetProperty("messageId").GetInt64(), data })).EnsureSuccessStatusCode();
        return await _host.WaitForBotMessageAsync(userId, match, before);
    }

    private async Task<JsonElement> PayAsync(long userId, JsonElement invoice)
    {
        var response = await _host.Emulator.Http.PostAsJsonAsync($"/control/users/{userId}/pay", new { messageId = invoice.GetProperty("messageId").GetInt64() });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Posts a copy of the successful_payment message under a new update id, as a confused client might cause.</summary>
    private async Task RedeliverSuccessfulPaymentAsync(long userId, string chargeId)
    {
        var update = JsonSerializer.Serialize(new
        {
            update_id = 900000001,
            message = new
            {
                message_id = 900000,
                date = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                chat = new { id = userId, type = "private", first_name = "Tester" },
                from = new { id = userId, is_bot = false, first_name = "Tester" },
                successful_payment = new
                {
                    currency = "XTR",
                    total_amount = 50,
                    invoice_payload = $"p1:small:10:{userId}",
                    telegram_payment_charge_id = chargeId,
                    provider_payment_charge_id = "",
                },
            },
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/telegram/webhook") { Content = new StringContent(update, Encoding.UTF8, "application/json") };
        request.Headers.Add(TelegramWebhookApi.SecretHeader, BotApiHost.WebhookSecret);
        Assert.Equal(HttpStatusCode.OK, (await _host.Http.SendAsync(request)).StatusCode);
        await _host.WaitUntilHandledAsync(900000001);
    }

    private Task<Payment?> PaymentAsync(string chargeId) =>
        _host.WithDatabaseAsync(db => db.Set<Payment>().AsNoTracking().SingleOrDefaultAsync(p => p.Provider == PaymentProvider.TelegramStars && p.ExternalId == chargeId));

    private Task<int> BalanceAsync(long userId) =>
        _host.WithDatabaseAsync(db => db.CreditLedger.Where(e => e.UserId == userId).SumAsync(e => e.Amount));

    private Task<List<CreditEntry>> LedgerAsync(long userId, CreditEntryKind kind) =>
        _host.WithDatabaseAsync(db => db.CreditLedger.Where(e => e.UserId == userId && e.Kind == kind).ToListAsync());
}
