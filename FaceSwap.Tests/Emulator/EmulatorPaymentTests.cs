using System.Net.Http.Json;
using System.Text.Json;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Payments;

namespace FaceSwap.Tests.Emulator;

public sealed class EmulatorPaymentTests
{
    [Fact]
    public async Task Paying_an_invoice_runs_pre_checkout_then_successful_payment_and_refunds_once()
    {
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();
        await host.UserSaysAsync(9001, "/buy");
        var offset = (await bot.GetUpdates())[^1].Id + 1;
        var invoice = await bot.SendInvoice(9001, "10 swaps", "A pack of ten face swaps", "pack:10:user9001", "XTR", [new LabeledPrice("10 swaps", 50)]);
        Assert.Equal(50, invoice.Invoice!.TotalAmount);

        var pay = host.Http.PostAsJsonAsync("/control/users/9001/pay", new { messageId = invoice.Id });
        var query = Assert.Single(await bot.GetUpdates(offset, timeout: 10)).PreCheckoutQuery!;
        Assert.Equal(("XTR", 50, "pack:10:user9001"), (query.Currency, query.TotalAmount, query.InvoicePayload));
        await bot.AnswerPreCheckoutQuery(query.Id);

        var result = await (await pay).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("paid", result.GetProperty("status").GetString());
        var chargeId = result.GetProperty("chargeId").GetString()!;

        var updates = await bot.GetUpdates(offset);
        var payment = updates[^1].Message!.SuccessfulPayment!;
        Assert.Equal(chargeId, payment.TelegramPaymentChargeId);
        Assert.Equal("pack:10:user9001", payment.InvoicePayload);

        await bot.RefundStarPayment(9001, chargeId);
        var twice = await Assert.ThrowsAsync<ApiRequestException>(() => bot.RefundStarPayment(9001, chargeId));
        Assert.Equal("Bad Request: CHARGE_ALREADY_REFUNDED", twice.Message);
    }

    [Fact]
    public async Task Declined_pre_checkout_reports_the_bots_error_message()
    {
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();
        await host.UserSaysAsync(9002, "/buy");
        var offset = (await bot.GetUpdates())[^1].Id + 1;
        var invoice = await bot.SendInvoice(9002, "Pack", "Pack", "p", "XTR", [new LabeledPrice("Pack", 1)]);

        var pay = host.Http.PostAsJsonAsync("/control/users/9002/pay", new { messageId = invoice.Id });
        var query = Assert.Single(await bot.GetUpdates(offset, timeout: 10)).PreCheckoutQuery!;
        await bot.AnswerPreCheckoutQuery(query.Id, "Sold out");

        var result = await (await pay).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("declined", result.GetProperty("status").GetString());
        Assert.Equal("Sold out", result.GetProperty("errorMessage").GetString());
        Assert.Single(await bot.GetUpdates(offset)); // no successful_payment
    }

    [Fact]
    public async Task Unanswered_pre_checkout_times_out_and_a_late_answer_fails()
    {
        await using var host = EmulatorHost.Start(new Dictionary<string, string> { ["Emulator:PreCheckoutTimeout"] = "00:00:00.500" });
        var bot = host.Bot();
        await host.UserSaysAsync(9003, "/buy");
        var offset = (await bot.GetUpdates())[^1].Id + 1;
        var invoice = await bot.SendInvoice(9003, "Pack", "Pack", "p", "XTR", [new LabeledPrice("Pack", 1)]);

        var result = await (await host.Http.PostAsJsonAsync("/control/users/9003/pay", new { messageId = invoice.Id })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("timeout", result.GetProperty("status").GetString());

        var query = Assert.Single(await bot.GetUpdates(offset)).PreCheckoutQuery!;
        await Assert.ThrowsAsync<ApiRequestException>(() => bot.AnswerPreCheckoutQuery(query.Id));
    }

    [Fact]
    public async Task Only_stars_invoices_are_accepted_and_links_can_be_created()
    {
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();
        await host.UserSaysAsync(9004, "/buy");

        var euros = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendInvoice(9004, "Pack", "Pack", "p", "EUR", [new LabeledPrice("Pack", 100)], providerToken: "x"));
        Assert.Equal(400, euros.ErrorCode);

        var link = await bot.CreateInvoiceLink("Pack", "Pack", "p", "XTR", [new LabeledPrice("Pack", 5)]);
        Assert.StartsWith("https://t.me/$", link, StringComparison.Ordinal);
    }
}
