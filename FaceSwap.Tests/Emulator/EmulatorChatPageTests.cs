using System.Net.Http.Json;
using Microsoft.Playwright;
using Telegram.Bot;
using Telegram.Bot.Types.ReplyMarkups;

namespace FaceSwap.Tests.Emulator;

/// <summary>
/// The chat page in a real browser: the machine's Chromium (/usr/bin/chromium) driven by Playwright,
/// since no browser may be downloaded here.
/// </summary>
public sealed class EmulatorChatPageTests
{
    private const string ChromiumPath = "/usr/bin/chromium";

    [Fact]
    public async Task A_person_can_chat_press_buttons_and_pay_on_the_page()
    {
        Assert.True(File.Exists(ChromiumPath), $"This test needs Chromium at {ChromiumPath} (Debian package 'chromium').");
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(host.BaseAddress.ToString());

        await page.ClickAsync("text=Carla");
        await page.FillAsync("#text", "/start");
        await page.ClickAsync("button.send");
        var start = Assert.Single(await bot.GetUpdates(timeout: 10));
        Assert.Equal(("/start", "Carla", 1003L), (start.Message!.Text, start.Message.From!.FirstName, start.Message.Chat.Id));

        await bot.SendMessage(1003, "<b>Welcome</b>", parseMode: Telegram.Bot.Types.Enums.ParseMode.Html,
            replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("Buy", "buy")));
        await page.WaitForSelectorAsync(".bubble b:text('Welcome')");
        await page.ClickAsync(".keyboard button:text('Buy')");
        var press = Assert.Single(await bot.GetUpdates(start.Id + 1, timeout: 10));
        Assert.Equal("buy", press.CallbackQuery!.Data);

        var invoice = await bot.SendInvoice(1003, "Pack", "Ten swaps", "pack10", "XTR", [new("Pack", 7)]);
        await page.ClickAsync("button.pay:text('Pay ⭐7')");
        var query = Assert.Single(await bot.GetUpdates(press.Id + 1, timeout: 10)).PreCheckoutQuery!;
        await bot.AnswerPreCheckoutQuery(query.Id);
        await page.WaitForSelectorAsync(".service:text('You paid ⭐7')");

        var transcript = await host.TranscriptAsync(1003);
        Assert.Contains(transcript, t => t.GetProperty("message").TryGetProperty("successful_payment", out _));
        Assert.Equal(invoice.Id, transcript.Single(t => t.GetProperty("method").GetString() == "sendInvoice").GetProperty("messageId").GetInt32());
    }

    [Fact]
    public async Task The_page_blocks_and_unblocks_the_bot_for_the_current_user_and_shows_it()
    {
        Assert.True(File.Exists(ChromiumPath), $"This test needs Chromium at {ChromiumPath} (Debian package 'chromium').");
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();
        await host.UserSaysAsync(1002, "/start", "Boris");
        var start = Assert.Single(await bot.GetUpdates());

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(host.BaseAddress.ToString());
        await page.ClickAsync("text=Boris");
        var block = page.Locator("#block");
        await Assertions.Expect(block).ToHaveTextAsync("Block the bot");
        await Assertions.Expect(page.Locator("#chat-state")).ToBeHiddenAsync();

        await block.ClickAsync();
        await Assertions.Expect(block).ToHaveTextAsync("Unblock");
        await Assertions.Expect(page.Locator("#chat-state")).ToHaveTextAsync("you blocked the bot");
        var kicked = Assert.Single(await bot.GetUpdates(start.Id + 1, timeout: 10));
        Assert.Equal(Telegram.Bot.Types.Enums.ChatMemberStatus.Kicked, kicked.MyChatMember!.NewChatMember.Status);
        var refused = await Assert.ThrowsAsync<Telegram.Bot.Exceptions.ApiRequestException>(() => bot.SendMessage(1002, "hello?"));
        Assert.Equal(403, refused.ErrorCode);

        await block.ClickAsync();
        await Assertions.Expect(block).ToHaveTextAsync("Block the bot");
        var member = Assert.Single(await bot.GetUpdates(kicked.Id + 1, timeout: 10));
        Assert.Equal(Telegram.Bot.Types.Enums.ChatMemberStatus.Member, member.MyChatMember!.NewChatMember.Status);
        await bot.SendMessage(1002, "<b>hello again</b>", parseMode: Telegram.Bot.Types.Enums.ParseMode.Html);
        await page.WaitForSelectorAsync(".bubble b:text('hello again')");

        // A user with no chat yet has nothing to block.
        await page.ClickAsync("text=Carla");
        await Assertions.Expect(block).ToBeDisabledAsync();
    }
}
