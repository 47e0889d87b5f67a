using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Telegram.Bot;

namespace FaceSwap.Tests.Emulator;

/// <summary>The control API's long poll on what the bot does, which the tests wait on instead of polling transcripts.</summary>
public sealed class EmulatorBotActivityTests
{
    [Fact]
    public async Task A_waiting_poll_answers_when_the_bot_sends_and_not_by_timing_out()
    {
        // The clock never moves, so the poll's timeout cannot fire: only the bot's message can end the wait.
        await using var host = EmulatorHost.Start(time: new FakeTimeProvider(DateTimeOffset.Parse("2026-12-03T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));
        await host.UserSaysAsync(7101, "/start", "Ann");
        var before = await VersionAsync(host, "");

        var poll = VersionAsync(host, $"?after={before}&waitMs=30000");
        await host.Bot().SendMessage(7101, "hello");

        Assert.Equal(before + 1, await poll.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Edits_deletes_chat_actions_and_button_answers_count_as_activity()
    {
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();
        await host.UserSaysAsync(7102, "/start", "Ann");
        var start = await VersionAsync(host, "");

        var sent = await bot.SendMessage(7102, "queued");
        await bot.EditMessageText(7102, sent.MessageId, "processing");
        await bot.SendChatAction(7102, Telegram.Bot.Types.Enums.ChatAction.Typing);
        await bot.DeleteMessage(7102, sent.MessageId);

        Assert.Equal(start + 4, await VersionAsync(host, ""));
        Assert.Equal(start + 4, await VersionAsync(host, $"?after={start + 4}&waitMs=0"));
    }

    private static async Task<long> VersionAsync(EmulatorHost host, string query) =>
        (await host.Http.GetFromJsonAsync<JsonElement>("/control/bot-activity" + query)).GetProperty("version").GetInt64();
}
