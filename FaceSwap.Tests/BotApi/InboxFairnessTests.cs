using FaceSwap.BotApi.Data;
using FaceSwap.Tests.EndToEnd;
using FaceSwap.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace FaceSwap.Tests.BotApi;

/// <summary>One chat never stalls another: fair per-chat handling, floods set aside, updates that never finish given up.</summary>
public sealed class InboxFairnessTests
{
    private static readonly TimeSpan Reply = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_chatty_chat_delays_only_itself()
    {
        // No flood cap here: this is about order and fairness, not shedding.
        // The bot's production pacing (a burst of 5, then one a second), which makes the chatty chat slow.
        await using var host = await BotApiHost.StartAsync(new Dictionary<string, string?> { ["Inbox:MaxPendingPerChat"] = "1000", ["Telegram:PerChatBurst"] = "5" });
        var users = new EmulatorClient(host.Emulator.Http);
        const long chatty = 7201, other = 7202;
        await users.AskAsync(chatty, "/start", Reply);
        await users.AskAsync(other, "/start", Reply);

        // Replies go out at about 1 a second per chat (Telegram's limit), so 40 of them take the chatty chat ~35 s.
        for (var i = 0; i < 40; i++)
        {
            await users.SendTextAsync(chatty, "hello " + i);
        }

        await host.WaitUntilAsync(async db => await db.InboxUpdates.CountAsync(u => u.ChatId == chatty) >= 41);
        var answer = await users.AskAsync(other, "/balance", Reply);

        Assert.Equal("You have 3 credits.", EmulatorClient.Text(answer));
        var chattyStillWaiting = await host.WithDatabaseAsync(db => db.InboxUpdates.CountAsync(u => u.ChatId == chatty && u.Status == InboxStatus.Pending));
        Assert.True(chattyStillWaiting >= 10, $"the other chat was answered while the chatty one still had {chattyStillWaiting} updates waiting");
    }

    [Fact]
    public async Task A_flood_is_set_aside_with_one_answer_and_nothing_is_lost()
    {
        await using var host = await BotApiHost.StartAsync(new Dictionary<string, string?>
        {
            ["Inbox:MaxPendingPerChat"] = "10",
            ["Inbox:KeptWhenFlooding"] = "2",
            ["Telegram:PerChatBurst"] = "5",
        });
        var users = new EmulatorClient(host.Emulator.Http);
        const long flooder = 7203, other = 7204;
        await users.AskAsync(flooder, "/start", Reply);
        for (var i = 0; i < 60; i++)
        {
            await users.SendTextAsync(flooder, "spam " + i);
        }

        // Another chat is answered meanwhile (its welcome names its 3 free credits).
        Assert.Contains("3", EmulatorClient.Text(await users.AskAsync(other, "/start", Reply)), StringComparison.Ordinal);
        await host.WaitUntilAsync(async db => !await db.InboxUpdates.AnyAsync(u => u.ChatId == flooder && u.Status == InboxStatus.Pending), TimeSpan.FromSeconds(90));

        var statuses = await host.WithDatabaseAsync(db => db.InboxUpdates.Where(u => u.ChatId == flooder).GroupBy(u => u.Status)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count));
        Assert.Equal(61, statuses.Values.Sum()); // every update is kept, handled or set aside
        Assert.True(statuses.GetValueOrDefault(InboxStatus.Shed) >= 40, $"set aside: {statuses.GetValueOrDefault(InboxStatus.Shed)}");
        var replies = await users.BotMessagesAsync(flooder);
        Assert.Single(replies, m => EmulatorClient.Text(m)?.StartsWith("You are sending faster", StringComparison.Ordinal) == true);
        Assert.True(replies.Count < 25, $"{replies.Count} replies to a flood of 60: it was answered, not replayed");
    }

    [Fact]
    public async Task An_update_whose_attempts_never_finished_is_set_aside_with_an_answer()
    {
        await using var host = await BotApiHost.StartAsync();
        var users = new EmulatorClient(host.Emulator.Http);
        const long userId = 7205;
        await users.AskAsync(userId, "/start", Reply);
        var handled = await host.WithDatabaseAsync(db => db.InboxUpdates.SingleAsync(u => u.ChatId == userId));

        // As if every attempt (counted before it ran) had killed the process: the update is pending with no attempt left.
        await host.WithDatabaseAsync(async db =>
        {
            db.InboxUpdates.Add(new InboxUpdate
            {
                UpdateId = handled.UpdateId + 1_000,
                ChatId = userId,
                Payload = handled.Payload.Replace($"\"update_id\":{handled.UpdateId}", $"\"update_id\":{handled.UpdateId + 1_000}", StringComparison.Ordinal),
                ReceivedAt = DateTimeOffset.UtcNow,
                Status = InboxStatus.Pending,
                Attempts = 5,
                NextAttemptAt = DateTimeOffset.UtcNow,
            });
            return await db.SaveChangesAsync();
        });

        var answer = await users.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.StartsWith("Sorry, I could not handle", StringComparison.Ordinal) == true, Reply);
        Assert.NotNull(EmulatorClient.Text(answer));
        var stored = await host.WithDatabaseAsync(db => db.InboxUpdates.SingleAsync(u => u.UpdateId == handled.UpdateId + 1_000));
        Assert.Equal(InboxStatus.Failed, stored.Status);
        Assert.Equal(5, stored.Attempts); // not run a sixth time
        Assert.StartsWith("gave up after 5 attempts", stored.LastError, StringComparison.Ordinal);
    }
}
