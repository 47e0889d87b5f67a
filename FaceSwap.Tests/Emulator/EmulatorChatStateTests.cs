using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.Payments;
using Telegram.Bot.Types.ReplyMarkups;

namespace FaceSwap.Tests.Emulator;

/// <summary>
/// A simulated user blocks the bot, deletes their account or becomes unknown to Telegram: every method aimed at
/// that chat fails as Telegram's does, other chats go on, and the bot hears of blocks through my_chat_member.
/// </summary>
public sealed class EmulatorChatStateTests
{
    private const string Blocked = "Forbidden: bot was blocked by the user";

    [Fact]
    public async Task Every_method_aimed_at_a_blocked_chat_is_403_and_other_chats_are_untouched()
    {
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();
        await host.UserSaysAsync(8001, "/start", "Ann");
        await host.UserSaysAsync(8002, "/start", "Boris");
        var menu = await bot.SendMessage(8001, "Menu", replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("Go", "go")));
        await PressAsync(host, 8001, menu.Id, "go");
        var callback = (await bot.GetUpdates()).Single(u => u.CallbackQuery is not null).CallbackQuery!;

        await PostAsync(host, "/control/users/8001/block");

        var calls = new Dictionary<string, Func<Task>>
        {
            ["sendMessage"] = () => bot.SendMessage(8001, "hello"),
            ["sendPhoto"] = () => bot.SendPhoto(8001, InputFile.FromStream(new MemoryStream(EmulatorHost.MakeImage(200, 200)), "p.png")),
            ["sendDocument"] = () => bot.SendDocument(8001, InputFile.FromStream(new MemoryStream("log"u8.ToArray()), "log.txt")),
            ["sendMediaGroup"] = () => bot.SendMediaGroup(8001, [
                new InputMediaPhoto(InputFile.FromStream(new MemoryStream(EmulatorHost.MakeImage(100, 100)), "a.png")),
                new InputMediaPhoto(InputFile.FromStream(new MemoryStream(EmulatorHost.MakeImage(100, 100)), "b.png"))]),
            ["sendChatAction"] = () => bot.SendChatAction(8001, ChatAction.UploadPhoto),
            ["editMessageText"] = () => bot.EditMessageText(8001, menu.Id, "Edited"),
            ["editMessageReplyMarkup"] = () => bot.EditMessageReplyMarkup(8001, menu.Id),
            ["deleteMessage"] = () => bot.DeleteMessage(8001, menu.Id),
            ["sendInvoice"] = () => bot.SendInvoice(8001, "Pack", "Ten swaps", "pack10", "XTR", [new LabeledPrice("Pack", 10)]),
        };
        foreach (var (method, call) in calls)
        {
            var ex = await Assert.ThrowsAsync<ApiRequestException>(call);
            Assert.True((ex.ErrorCode, ex.Message) == (403, Blocked), $"{method}: {ex.ErrorCode} {ex.Message}");
        }

        // Even a call that is wrong in other ways: Telegram looks at the chat first.
        var raw = await host.RawBotCallAsync("sendMessage", new { chat_id = 8001 });
        Assert.Equal((403, Blocked), (raw.GetProperty("error_code").GetInt32(), raw.GetProperty("description").GetString()));

        // answerCallbackQuery names a query, not a chat: Telegram still answers it.
        await bot.AnswerCallbackQuery(callback.Id, "ok");

        var view = await host.Http.GetFromJsonAsync<JsonElement>("/control/users/8001");
        Assert.Equal(("Blocked", calls.Count + 1L), (view.GetProperty("state").GetString(), view.GetProperty("refusedCalls").GetInt64()));

        var other = await bot.SendMessage(8002, "still here");
        Assert.Equal(8002, other.Chat.Id);
        Assert.Equal(["/start", "Menu"], (await host.TranscriptAsync(8001)).Select(m => m.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task Blocking_and_unblocking_send_my_chat_member_and_unblocking_restores_sending()
    {
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();
        await host.UserSaysAsync(8003, "/start", "Carla");
        var start = Assert.Single(await bot.GetUpdates());

        var blocked = await PostAsync(host, "/control/users/8003/block");
        Assert.Equal("Blocked", blocked.GetProperty("state").GetString());
        var kicked = Assert.Single(await bot.GetUpdates(start.Id + 1));
        AssertMembershipChange(kicked, 8003, from: ChatMemberStatus.Member, to: ChatMemberStatus.Kicked);

        // Blocking twice changes nothing and tells the bot nothing.
        await PostAsync(host, "/control/users/8003/block");
        Assert.Empty(await bot.GetUpdates(kicked.Id + 1));

        var unblocked = await PostAsync(host, "/control/users/8003/unblock");
        Assert.Equal("Active", unblocked.GetProperty("state").GetString());
        var member = Assert.Single(await bot.GetUpdates(kicked.Id + 1));
        AssertMembershipChange(member, 8003, from: ChatMemberStatus.Kicked, to: ChatMemberStatus.Member);
        Assert.Equal("back", (await bot.SendMessage(8003, "back")).Text);
    }

    [Fact]
    public async Task A_blocked_user_who_writes_unblocks_first_but_cannot_press_buttons()
    {
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();
        await host.UserSaysAsync(8004, "/start");
        var menu = await bot.SendMessage(8004, "Menu", replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("Go", "go")));
        await PostAsync(host, "/control/users/8004/block");
        var offset = (await bot.GetUpdates()).Max(u => u.Id) + 1;

        var press = await host.Http.PostAsJsonAsync("/control/users/8004/callback", new { messageId = menu.Id, data = "go" });
        Assert.Equal(HttpStatusCode.BadRequest, press.StatusCode);
        Assert.Contains("blocked the bot", (await press.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        await host.UserSaysAsync(8004, "/start");
        var updates = await bot.GetUpdates(offset);
        Assert.Equal([UpdateType.MyChatMember, UpdateType.Message], updates.Select(u => u.Type));
        Assert.Equal(ChatMemberStatus.Member, updates[0].MyChatMember!.NewChatMember.Status);
        Assert.Equal("Active", (await host.Http.GetFromJsonAsync<JsonElement>("/control/users/8004")).GetProperty("state").GetString());
        await bot.SendMessage(8004, "welcome back");
    }

    [Fact]
    public async Task A_deactivated_user_is_403_user_is_deactivated_and_cannot_write()
    {
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();
        await host.UserSaysAsync(8005, "/start");
        var offset = (await bot.GetUpdates()).Max(u => u.Id) + 1;

        var view = await PostAsync(host, "/control/users/8005/deactivate");
        Assert.Equal("Deactivated", view.GetProperty("state").GetString());
        Assert.Empty(await bot.GetUpdates(offset)); // Telegram does not tell the bot about deleted accounts

        var ex = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(8005, "hello?"));
        Assert.Equal((403, "Forbidden: user is deactivated"), (ex.ErrorCode, ex.Message));
        var photo = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendPhoto(8005, InputFile.FromStream(new MemoryStream(EmulatorHost.MakeImage(50, 50)), "p.png")));
        Assert.Equal(403, photo.ErrorCode);

        var writes = await host.Http.PostAsJsonAsync("/control/users/8005/text", new { text = "hi" });
        Assert.Equal(HttpStatusCode.BadRequest, writes.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Http.PostAsync("/control/users/8005/block", null)).StatusCode);

        await PostAsync(host, "/control/users/8005/reactivate");
        await bot.SendMessage(8005, "hello again");
    }

    [Fact]
    public async Task A_forgotten_chat_is_chat_not_found_until_the_user_writes_again()
    {
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();
        await host.UserSaysAsync(8006, "/start");
        await host.UserSaysAsync(8007, "/start");

        Assert.Equal("NotFound", (await PostAsync(host, "/control/users/8006/forget")).GetProperty("state").GetString());
        var ex = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(8006, "hello?"));
        Assert.Equal((400, "Bad Request: chat not found"), (ex.ErrorCode, ex.Message));
        await bot.SendMessage(8007, "others are fine");

        var users = await host.Http.GetFromJsonAsync<JsonElement[]>("/control/users");
        Assert.Equal("NotFound", users!.Single(u => u.GetProperty("userId").GetInt64() == 8006).GetProperty("state").GetString());
        Assert.Equal("Active", users!.Single(u => u.GetProperty("userId").GetInt64() == 8007).GetProperty("state").GetString());

        await host.UserSaysAsync(8006, "I'm back");
        await bot.SendMessage(8006, "so you are");
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync("/control/users/8999")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Http.PostAsync("/control/users/8999/block", null)).StatusCode);
    }

    [Fact]
    public async Task A_fault_for_one_chat_leaves_the_other_chats_alone()
    {
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();
        await host.UserSaysAsync(8008, "hi");
        await host.UserSaysAsync(8009, "hi");
        (await host.Http.PostAsJsonAsync("/control/faults", new { method = "sendMessage", statusCode = 429, count = 2, retryAfter = 9, chatId = 8008 })).EnsureSuccessStatusCode();

        await bot.SendMessage(8009, "not limited");
        var limited = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(8008, "limited"));
        Assert.Equal((429, "Too Many Requests: retry after 9", 9), (limited.ErrorCode, limited.Message, limited.Parameters!.RetryAfter));
        await bot.SendMessage(8009, "still not limited");
        await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(8008, "limited"));
        await bot.SendMessage(8008, "the rule is used up");

        var listed = await host.Http.GetFromJsonAsync<JsonElement[]>("/control/faults");
        Assert.Empty(listed!);
    }

    [Fact]
    public async Task A_lost_answer_takes_effect_but_the_client_gets_no_answer()
    {
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();
        await host.UserSaysAsync(8010, "hi");
        (await host.Http.PostAsJsonAsync("/control/faults", new { method = "sendMessage", lost = true, chatId = 8010 })).EnsureSuccessStatusCode();

        var ex = await Assert.ThrowsAsync<RequestException>(() => bot.SendMessage(8010, "did it go out?"));
        Assert.IsNotType<ApiRequestException>(ex);
        Assert.Contains(await host.TranscriptAsync(8010), m => m.GetProperty("text").GetString() == "did it go out?");
        await bot.SendMessage(8010, "answered again");
    }

    [Fact]
    public async Task A_slow_answer_comes_after_the_delay_on_the_emulators_clock()
    {
        var clock = new Support.CountingTimeProvider(DateTimeOffset.UtcNow);
        await using var host = EmulatorHost.Start(time: clock);
        var bot = host.Bot();
        await host.UserSaysAsync(8011, "hi");
        (await host.Http.PostAsJsonAsync("/control/faults", new { method = "sendMessage", delayMs = 30_000, chatId = 8011 })).EnsureSuccessStatusCode();

        var due = clock.GetUtcNow() + TimeSpan.FromSeconds(30);
        var slow = bot.SendMessage(8011, "slow");
        // The call holds its answer on a timer of the emulator's clock, due 30 s after it took the fault: seen, not slept for.
        await EmulatorHost.WaitUntilAsync(() => Task.FromResult(clock.WaitingUntil.Contains(due)), because: "the call to wait 30 s on the emulator's clock");
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Contains(due, clock.WaitingUntil);
        Assert.False(slow.IsCompleted);
        Assert.DoesNotContain(await host.TranscriptAsync(8011), m => m.GetProperty("text").GetString() == "slow");

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("slow", (await slow).Text);
    }

    [Theory]
    [InlineData("""{"method":"sendMessage","count":1}""")]
    [InlineData("""{"statusCode":500,"lost":true}""")]
    [InlineData("""{"statusCode":200}""")]
    [InlineData("""{"delayMs":-1}""")]
    public async Task Fault_rules_that_say_nothing_or_contradict_themselves_are_refused(string rule)
    {
        await using var host = EmulatorHost.Start();
        using var content = new StringContent(rule, System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Http.PostAsync("/control/faults", content)).StatusCode);
    }

    private static void AssertMembershipChange(Update update, long userId, ChatMemberStatus from, ChatMemberStatus to)
    {
        var change = update.MyChatMember ?? throw new Xunit.Sdk.XunitException($"expected my_chat_member, got {update.Type}");
        Assert.Equal((userId, ChatType.Private, userId), (change.Chat.Id, change.Chat.Type, change.From.Id));
        Assert.Equal((from, to), (change.OldChatMember.Status, change.NewChatMember.Status));
        Assert.True(change.NewChatMember.User.IsBot, "in a private chat the member whose status changes is the bot");
    }

    private static async Task<JsonElement> PostAsync(EmulatorHost host, string path)
    {
        var response = await host.Http.PostAsync(path, null);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task PressAsync(EmulatorHost host, long userId, long messageId, string data) =>
        (await host.Http.PostAsJsonAsync($"/control/users/{userId}/callback", new { messageId, data })).EnsureSuccessStatusCode();
}
