using System.Net.Http.Json;
using FaceSwap.BotApi.Data;
using FaceSwap.Contracts;
using FaceSwap.Tests.Engine;
using FaceSwap.Tests.EndToEnd;
using FaceSwap.Tests.Queue;
using FaceSwap.Tests.Support;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace FaceSwap.Tests.BotApi;

/// <summary>
/// A user who blocks the bot stops nothing for anyone else: their result is refunded and set aside at once, and the
/// other users' results arrive. The bot API and the processor's real consumers, the emulator answering as Telegram does.
/// </summary>
public sealed class ResultIsolationTests
{
    private static readonly TimeSpan Reply = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_user_who_blocks_the_bot_mid_swap_is_refunded_and_everyone_else_still_gets_their_result()
    {
        await using var host = await BotApiHost.StartAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(host.Redis.ConnectionString);
        var swapping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var engine = new ScriptedEngine { Output = request => request.Target.Bytes.ToArray(), Gate = swapping.Task };
        await using var processor = await ProcessorQueue.StartAsync(redis, engine);
        var users = new EmulatorClient(host.Emulator.Http);
        const long blocker = 7401, other = 7402;
        await SendFaceAsync(users, blocker);
        await SendFaceAsync(users, other);

        await users.SendPhotoAsync(blocker, TestImages.Astronaut, "target.png");
        await engine.Started.Task.WaitAsync(Reply); // the blocker's swap is running...
        (await host.Emulator.Http.PostAsync($"/control/users/{blocker}/block", null)).EnsureSuccessStatusCode();
        swapping.SetResult(); // ...and finishes after the block
        await users.SendPhotoAsync(other, TestImages.Astronaut, "target.png");

        await users.WaitForBotMessageAsync(other, m => EmulatorClient.PhotoFileId(m) is not null, Reply);
        var blockedJob = await WaitForAsync(host, db => db.Jobs.SingleOrDefaultAsync(j => j.UserId == blocker && j.Status == JobStatus.Undeliverable));
        Assert.Equal(3, await host.WithDatabaseAsync(db => db.CreditLedger.Where(e => e.UserId == blocker).SumAsync(e => e.Amount)));
        Assert.NotNull(await host.WithDatabaseAsync(db => db.Users.Where(u => u.Id == blocker).Select(u => u.UnreachableSince).SingleAsync()));
        await AssertResultsSettledAsync(redis);

        // Writing again unblocks (as in Telegram): the user is reachable and sees the credit back.
        Assert.Equal("You have 3 credits.", EmulatorClient.Text(await users.AskAsync(blocker, "/balance", Reply)));
        Assert.Null(await host.WithDatabaseAsync(db => db.Users.Where(u => u.Id == blocker).Select(u => u.UnreachableSince).SingleAsync()));
        Assert.NotNull(blockedJob.DeliveredAt);
    }

    [Fact]
    public async Task A_result_refused_with_403_is_not_retried_and_does_not_hold_the_next_result()
    {
        await using var host = await BotApiHost.StartAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(host.Redis.ConnectionString);
        var engine = new ScriptedEngine { Output = request => request.Target.Bytes.ToArray() };
        await using var processor = await ProcessorQueue.StartAsync(redis, engine);
        var users = new EmulatorClient(host.Emulator.Http);
        const long refused = 7403, other = 7404;
        await SendFaceAsync(users, refused);
        await SendFaceAsync(users, other);
        // Telegram refuses every photo to this chat (the block came without a my_chat_member update reaching the bot).
        (await host.Emulator.Http.PostAsJsonAsync("/control/faults", new { method = "sendPhoto", statusCode = 403, count = 100, chatId = refused }))
            .EnsureSuccessStatusCode();

        await users.SendPhotoAsync(refused, TestImages.Astronaut, "target.png");
        await WaitForAsync(host, db => db.Jobs.SingleOrDefaultAsync(j => j.UserId == refused && j.Status == JobStatus.Undeliverable));
        await users.SendPhotoAsync(other, TestImages.Astronaut, "target.png");
        await users.WaitForBotMessageAsync(other, m => EmulatorClient.PhotoFileId(m) is not null, Reply);

        var faults = await host.Emulator.Http.GetFromJsonAsync<List<FaultView>>("/control/faults");
        Assert.Equal(99, Assert.Single(faults!).Count); // one sendPhoto tried, refused, never again
        Assert.Equal(3, await host.WithDatabaseAsync(db => db.CreditLedger.Where(e => e.UserId == refused).SumAsync(e => e.Amount)));
        Assert.Equal(1, await host.WithDatabaseAsync(db => db.CreditLedger.CountAsync(e => e.UserId == refused && e.Kind == CreditEntryKind.Refund)));
        await AssertResultsSettledAsync(redis);
    }

    private sealed record FaultView(string? Method, int? StatusCode, int Count);

    /// <summary>A new user who has sent the face photo (Grace Hopper) and been told so.</summary>
    internal static async Task SendFaceAsync(EmulatorClient users, long userId)
    {
        await users.AskAsync(userId, "/start", Reply);
        await users.AcceptTermsAsync(userId);
        await users.SendPhotoAsync(userId, TestImages.GraceHopper, "face.jpg");
        await users.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.StartsWith("Got the face") == true, Reply);
    }

    /// <summary>Every result acknowledged, none dead-lettered: nothing waits to be retried.</summary>
    private static async Task AssertResultsSettledAsync(ConnectionMultiplexer redis)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((await redis.GetDatabase().StreamPendingAsync(QueueNames.Results, QueueNames.BotApiGroup)).PendingMessageCount > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "a result is still pending");
            await Task.Delay(100);
        }

        Assert.Equal(0, await redis.GetDatabase().StreamLengthAsync(QueueNames.ResultsDeadLetter));
    }

    private static async Task<T> WaitForAsync<T>(BotApiHost host, Func<FaceSwapDbContext, Task<T?>> query) where T : class
    {
        var deadline = DateTime.UtcNow + Reply;
        while (true)
        {
            if (await host.WithDatabaseAsync(query) is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, "not in time");
            await Task.Delay(100);
        }
    }
}
