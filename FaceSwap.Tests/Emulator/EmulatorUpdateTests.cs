using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace FaceSwap.Tests.Emulator;

public sealed class EmulatorUpdateTests
{
    [Fact]
    public async Task Long_poll_returns_as_soon_as_a_user_writes_and_offset_confirms()
    {
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();

        var started = DateTime.UtcNow;
        var poll = bot.GetUpdates(timeout: 20);
        // Held open, as the emulator says, instead of slept on to see it not return.
        await EmulatorHost.WaitUntilAsync(async () => (await host.Http.GetFromJsonAsync<JsonElement>("/control/state")).GetProperty("waitingPolls").GetInt32() == 1,
            because: "the long poll to wait for an update");
        Assert.False(poll.IsCompleted);
        await host.UserSaysAsync(8001, "hello");
        var first = Assert.Single(await poll);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
        Assert.Equal("hello", first.Message!.Text);

        await host.UserSaysAsync(8001, "second");
        var both = await bot.GetUpdates();
        Assert.Equal(2, both.Length); // not confirmed yet: still there
        Assert.True(both[1].Id > both[0].Id);

        var rest = await bot.GetUpdates(offset: both[0].Id + 1);
        Assert.Equal("second", Assert.Single(rest).Message!.Text);

        var none = await bot.GetUpdates(offset: both[1].Id + 1, timeout: 1);
        Assert.Empty(none);
        var state = await host.Http.GetFromJsonAsync<JsonElement>("/control/state");
        Assert.Equal(2, state.GetProperty("deliveredUpdates").GetInt64());
        Assert.Equal(0, state.GetProperty("pendingUpdates").GetInt32());
    }

    [Fact]
    public async Task Concurrent_users_get_strictly_increasing_update_ids_and_per_chat_order()
    {
        await using var host = EmulatorHost.Start();
        var sends = Enumerable.Range(0, 60).Select(i => host.UserSaysAsync(8100 + (i % 6), $"msg {i}"));
        await Task.WhenAll(sends);

        var updates = await host.Bot().GetUpdates();
        Assert.Equal(60, updates.Length);
        Assert.True(updates.Zip(updates.Skip(1)).All(pair => pair.Second.Id > pair.First.Id), "update ids strictly increase");
        foreach (var chat in updates.GroupBy(u => u.Message!.Chat.Id))
        {
            var ids = chat.Select(u => u.Message!.Id).ToArray();
            Assert.Equal(Enumerable.Range(1, 10), ids); // message ids follow update order within a chat
        }
    }

    [Fact]
    public async Task A_restarted_emulator_goes_on_with_higher_update_ids_than_the_run_before()
    {
        // A bot keeps the ids it has seen to drop repeats: a restart that began again at the same id had the bot's
        // inbox drop the new run's first updates as repeats of the last run's.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        long lastOfFirstRun;
        await using (var first = EmulatorHost.Start(time: clock))
        {
            for (var i = 0; i < 15; i++)
            {
                await first.UserSaysAsync(8201, $"before the restart {i}");
            }

            lastOfFirstRun = (await first.Bot().GetUpdates()).Max(u => u.Id);
        }

        clock.Advance(TimeSpan.FromSeconds(1));
        await using var second = EmulatorHost.Start(time: clock);
        await second.UserSaysAsync(8201, "after the restart");
        Assert.True((await second.Bot().GetUpdates()).Single().Id > lastOfFirstRun);

        // The ids follow the clock at 20 a second, so a run that sent fewer than that on average is always overtaken,
        // and they stay within Update.Id's int range until 2029.
        var start = new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(200, FaceSwap.TelegramEmulator.Infrastructure.UpdateQueue.FirstUpdateId(start.AddSeconds(10))
            - FaceSwap.TelegramEmulator.Infrastructure.UpdateQueue.FirstUpdateId(start));
        Assert.Equal(100_000_000, FaceSwap.TelegramEmulator.Infrastructure.UpdateQueue.FirstUpdateId(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.True(FaceSwap.TelegramEmulator.Infrastructure.UpdateQueue.FirstUpdateId(new DateTimeOffset(2029, 1, 1, 0, 0, 0, TimeSpan.Zero)) < int.MaxValue);
    }

    [Fact]
    public async Task Limit_and_allowed_updates_filter_what_get_updates_returns()
    {
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();
        for (var i = 0; i < 3; i++)
        {
            await host.UserSaysAsync(8002, $"m{i}");
        }

        Assert.Equal(2, (await bot.GetUpdates(limit: 2)).Length);

        var last = (await bot.GetUpdates())[^1];
        var menu = await bot.SendMessage(8002, "pick", replyMarkup: new Telegram.Bot.Types.ReplyMarkups.InlineKeyboardMarkup(
            Telegram.Bot.Types.ReplyMarkups.InlineKeyboardButton.WithCallbackData("x", "x")));
        await bot.GetUpdates(offset: last.Id + 1, allowedUpdates: [UpdateType.Message]);
        (await host.Http.PostAsJsonAsync("/control/users/8002/callback", new { messageId = menu.Id, data = "x" })).EnsureSuccessStatusCode();
        await host.UserSaysAsync(8002, "after");

        var updates = await bot.GetUpdates(offset: last.Id + 1);
        Assert.Equal("after", Assert.Single(updates).Message!.Text);
    }

    [Fact]
    public async Task Get_updates_conflicts_with_an_active_webhook()
    {
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();
        await bot.SetWebhook("http://127.0.0.1:9/hook");

        var ex = await Assert.ThrowsAsync<ApiRequestException>(() => bot.GetUpdates());
        Assert.Equal(409, ex.ErrorCode);
        Assert.Equal("Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first", ex.Message);

        await bot.DeleteWebhook();
        Assert.Empty(await bot.GetUpdates());
    }

    [Fact]
    public async Task Webhook_gets_updates_with_the_secret_and_retries_until_the_receiver_accepts()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 2);
        await using var host = EmulatorHost.Start(new Dictionary<string, string>
        {
            ["Emulator:WebhookRetryBaseDelay"] = "00:00:00.050",
        });
        var bot = host.Bot();
        await bot.SetWebhook(receiver.Url, secretToken: "s3cret_token-1", allowedUpdates: []);

        var first = await host.UserSaysAsync(8003, "one");
        await host.UserSaysAsync(8003, "two");

        await EmulatorHost.WaitUntilAsync(() => Task.FromResult(receiver.Accepted.Count == 2), because: "two updates delivered");
        Assert.Equal(4, receiver.Attempts); // 2 failures of update one, then one, then two
        Assert.All(receiver.Secrets, s => Assert.Equal("s3cret_token-1", s));
        Assert.Equal(["one", "two"], receiver.Accepted.Select(u => u.Message!.Text));
        Assert.Equal(first.GetProperty("updateId").GetInt64(), receiver.Accepted.First().Id);

        var info = await bot.GetWebhookInfo();
        Assert.Equal(receiver.Url, info.Url);
        Assert.Equal(0, info.PendingUpdateCount);
        Assert.NotNull(info.LastErrorDate);
        Assert.Contains("500", info.LastErrorMessage, StringComparison.Ordinal);

        var state = await host.Http.GetFromJsonAsync<JsonElement>("/control/state");
        Assert.Equal(receiver.Url, state.GetProperty("webhookUrl").GetString());
        Assert.Equal(2, state.GetProperty("deliveredUpdates").GetInt64());
    }

    [Fact]
    public async Task Webhook_gives_up_on_an_update_after_the_configured_attempts()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: int.MaxValue);
        await using var host = EmulatorHost.Start(new Dictionary<string, string>
        {
            ["Emulator:WebhookRetryBaseDelay"] = "00:00:00.010",
            ["Emulator:WebhookMaxAttempts"] = "3",
        });
        var bot = host.Bot();
        await bot.SetWebhook(receiver.Url);
        await host.UserSaysAsync(8004, "doomed");

        await EmulatorHost.WaitUntilAsync(async () => (await bot.GetWebhookInfo()).PendingUpdateCount == 0 && receiver.Attempts >= 3, because: "update dropped");
        // A later update of the same chat as a marker: a chat's updates go out in order, so a fourth attempt at the
        // dropped one would reach the receiver before the marker does.
        await host.UserSaysAsync(8004, "marker");
        await EmulatorHost.WaitUntilAsync(() => Task.FromResult(receiver.Rejected.Any(u => u.Message?.Text == "marker")), because: "the marker delivered");
        Assert.Equal(3, receiver.Rejected.Count(u => u.Message?.Text == "doomed"));
    }

    [Fact]
    public async Task A_failing_update_holds_back_only_its_own_chat()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 0, failWhen: u => u.Message?.Text == "poison");
        await using var host = EmulatorHost.Start(new Dictionary<string, string>
        {
            ["Emulator:WebhookRetryBaseDelay"] = "00:00:00.200",
            ["Emulator:WebhookMaxAttempts"] = "4",
        });
        await host.Bot().SetWebhook(receiver.Url);

        await host.UserSaysAsync(8005, "poison");
        await host.UserSaysAsync(8005, "after poison");
        await host.UserSaysAsync(8006, "other chat");

        await EmulatorHost.WaitUntilAsync(() => Task.FromResult(receiver.Accepted.Any(u => u.Message!.Text == "other chat")), because: "other chat delivered");
        Assert.DoesNotContain(receiver.Accepted, u => u.Message!.Text == "after poison");

        await EmulatorHost.WaitUntilAsync(() => Task.FromResult(receiver.Accepted.Any(u => u.Message!.Text == "after poison")), because: "poison dropped, chat resumes");
        Assert.Equal(4, receiver.Rejected.Count(u => u.Message!.Text == "poison"));
    }

    [Fact]
    public async Task Invalid_secret_token_is_rejected()
    {
        await using var host = EmulatorHost.Start();
        var ex = await Assert.ThrowsAsync<ApiRequestException>(() => host.Bot().SetWebhook("http://127.0.0.1:9/hook", secretToken: "bad token!"));
        Assert.Equal("Bad Request: secret token contains unallowed characters", ex.Message);
    }

    /// <summary>A tiny webhook endpoint that answers 500 to its first N calls.</summary>
    private sealed class WebhookReceiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _attempts;
        private int _failuresLeft;

        private readonly Func<Update, bool> _failWhen;

        private WebhookReceiver(WebApplication app, int failFirst, Func<Update, bool>? failWhen)
        {
            _app = app;
            _failuresLeft = failFirst;
            _failWhen = failWhen ?? (_ => false);
        }

        public string Url { get; private set; } = "";
        public int Attempts => Volatile.Read(ref _attempts);
        public ConcurrentQueue<Update> Accepted { get; } = new();
        public ConcurrentQueue<Update> Rejected { get; } = new();
        public ConcurrentQueue<string?> Secrets { get; } = new();

        public static async Task<WebhookReceiver> StartAsync(int failFirst, Func<Update, bool>? failWhen = null)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var receiver = new WebhookReceiver(app, failFirst, failWhen);
            app.MapPost("/hook", async (HttpContext context) =>
            {
                Interlocked.Increment(ref receiver._attempts);
                receiver.Secrets.Enqueue(context.Request.Headers["X-Telegram-Bot-Api-Secret-Token"]);
                var update = await JsonSerializer.DeserializeAsync<Update>(context.Request.Body, JsonBotAPI.Options);
                if (receiver._failWhen(update!) || Interlocked.Decrement(ref receiver._failuresLeft) >= 0)
                {
                    receiver.Rejected.Enqueue(update!);
                    return Results.StatusCode(500);
                }

                receiver.Accepted.Enqueue(update!);
                return Results.Ok();
            });
            await app.StartAsync();
            receiver.Url = app.Urls.First() + "/hook";
            return receiver;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
