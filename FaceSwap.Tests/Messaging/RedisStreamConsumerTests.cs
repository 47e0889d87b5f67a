using System.Text.Json;
using FaceSwap.Messaging;
using FaceSwap.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using StackExchange.Redis;

namespace FaceSwap.Tests.Messaging;

/// <summary>The one stream consumer both services use, against a real redis-server.</summary>
public sealed class RedisStreamConsumerTests : IAsyncLifetime
{
    private const string Stream = "test:stream";
    private const string Dead = "test:stream:dead";
    private RedisServer _redis = null!;
    private ConnectionMultiplexer _connection = null!;
    private readonly List<ServiceProvider> _consumers = [];

    private IDatabase Db => _connection.GetDatabase();

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        foreach (var consumer in _consumers)
        {
            await Consumer(consumer).StopAsync(CancellationToken.None);
            await consumer.DisposeAsync();
        }

        await _connection.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task An_entry_that_keeps_failing_never_holds_the_entries_after_it()
    {
        var script = new StreamScript
        {
            Handle = (m, _) => Task.FromResult(m.Key == "blocked" ? StreamEntryOutcome.Retry : StreamEntryOutcome.Done),
        };
        await StartAsync(script, o => o.ClaimAfter = TimeSpan.FromMilliseconds(300));
        await PublishAsync("blocked", "a result whose user blocked the bot");
        for (var i = 0; i < 5; i++)
        {
            await PublishAsync("user-" + i, "ready");
        }

        await WaitUntilAsync(() => script.Handled.Count(h => h.Message.Key.StartsWith("user-", StringComparison.Ordinal)) == 5);
        // The failing entry is retried through the claim, delivery by delivery, and then dead-lettered: never forever.
        await WaitUntilAsync(() => !script.DeadLettered.IsEmpty);
        Assert.Equal("blocked", Assert.Single(script.DeadLettered).Message.Key);
        Assert.Equal([1, 2, 3], script.Handled.Where(h => h.Message.Key == "blocked").Select(h => h.Delivery.DeliveryCount).Order());
        var dead = Assert.Single(await Db.StreamRangeAsync(Dead));
        Assert.Equal("delivered 4 times", (string?)dead["dead_reason"]);
        await WaitUntilAsync(async () => (await Db.StreamPendingAsync(Stream, "group")).PendingMessageCount == 0);
    }

    [Fact]
    public async Task Handler_scopes_holding_an_async_only_disposable_are_disposed_and_the_read_loop_never_fails()
    {
        var script = new StreamScript();
        var consumer = await StartAsync(script);
        for (var i = 0; i < 3; i++)
        {
            await PublishAsync("user-" + i, "a batch");
        }

        await WaitUntilAsync(() => script.Handled.Count == 3);
        // Another read after the batch: had disposing the batch's scope failed, the loop would have logged it by now.
        await PublishAsync("later", "the next read");
        await WaitUntilAsync(() => script.Handled.Count == 4);

        // One scope per entry and one per batch that named the keys: at least five, every one disposed.
        await WaitUntilAsync(() => Volatile.Read(ref script.ScopesDisposed) >= 5);
        var failures = consumer.GetFakeLogCollector().GetSnapshot().Where(r => r.Level >= Microsoft.Extensions.Logging.LogLevel.Warning).Select(r => r.Message);
        Assert.Empty(failures);
    }

    [Fact]
    public async Task An_unreadable_entry_goes_to_the_dead_letter_stream_at_once_and_the_next_is_handled()
    {
        var script = new StreamScript();
        await StartAsync(script);
        await Db.StreamAddAsync(Stream, [new NameValueEntry(StreamPublisher.PayloadField, "{not json"), new NameValueEntry(StreamPublisher.KeyField, "x")]);
        await Db.StreamAddAsync(Stream, [new NameValueEntry("other", "no payload")]);
        await PublishAsync("good", "after the bad ones");

        await WaitUntilAsync(() => script.Handled.Any(h => h.Message.Key == "good"));
        await WaitUntilAsync(async () => (await Db.StreamLengthAsync(Dead)) == 2);
        var reasons = (await Db.StreamRangeAsync(Dead)).Select(e => (string)e["dead_reason"]!).ToList();
        Assert.All(reasons, r => Assert.StartsWith("unreadable: ", r, StringComparison.Ordinal));
        Assert.Empty(script.DeadLettered); // no message to hand the handler
    }

    [Fact]
    public async Task A_slow_entry_keeps_its_claim_and_is_handled_once_even_with_a_second_consumer_waiting()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var script = new StreamScript { Handle = async (_, _) => { await release.Task; return StreamEntryOutcome.Done; } };
        await StartAsync(script, o => { o.ClaimAfter = TimeSpan.FromMilliseconds(400); o.Consumer = "first"; });
        await PublishAsync("slow", "a hosted swap near its deadline");
        await WaitUntilAsync(() => Volatile.Read(ref script.Concurrent) == 1);

        var second = new StreamScript();
        var secondConsumer = await StartAsync(second, o => { o.ClaimAfter = TimeSpan.FromMilliseconds(400); o.Consumer = "second"; });
        // Several claim timeouts pass while the first consumer still has it in hand: the renewal keeps it there. The
        // second consumer's reclaim passes (a second apart, each after the 400 ms timeout) are what would take it.
        await WaitUntilAsync(async () => (await Db.StreamPendingMessagesAsync(Stream, "group", 10, "first")).Length == 1);
        var passes = Consumer(secondConsumer).Status.ClaimPasses;
        await WaitUntilAsync(() => Consumer(secondConsumer).Status.ClaimPasses >= passes + 3);
        var pending = Assert.Single(await Db.StreamPendingMessagesAsync(Stream, "group", 10, RedisValue.Null));
        Assert.Equal("first", pending.ConsumerName);
        Assert.Equal(1, pending.DeliveryCount);

        release.SetResult();
        await WaitUntilAsync(() => script.Handled.Count == 1);
        await WaitUntilAsync(async () => (await Db.StreamPendingAsync(Stream, "group")).PendingMessageCount == 0);
        Assert.Empty(second.Handled);
    }

    [Fact]
    public async Task Entries_of_one_key_are_handled_in_order_while_other_keys_run_beside_them()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var script = new StreamScript
        {
            Handle = async (m, _) =>
            {
                if (m.Body == "first of a")
                {
                    await gate.Task;
                }

                return StreamEntryOutcome.Done;
            },
        };
        await StartAsync(script, o => o.HandlersInParallel = 4);
        await PublishAsync("a", "first of a");
        await PublishAsync("a", "second of a");
        await PublishAsync("b", "only b");

        await WaitUntilAsync(() => script.Handled.Any(h => h.Message.Key == "b"));
        Assert.DoesNotContain(script.Handled, h => h.Message.Key == "a"); // the second of a waits for the first
        gate.SetResult();
        await WaitUntilAsync(() => script.Handled.Count == 3);
        Assert.Equal(["first of a", "second of a"], script.Handled.Where(h => h.Message.Key == "a").Select(h => h.Message.Body));
    }

    [Fact]
    public async Task A_restarted_consumer_handles_what_it_had_in_hand_before_new_entries()
    {
        await Db.StreamCreateConsumerGroupAsync(Stream, "group", "0", createStream: true);
        await PublishAsync("old", "in hand when the process died");
        Assert.Single(await Db.StreamReadGroupAsync(Stream, "group", "me", ">", count: 1));
        await PublishAsync("new", "arrived meanwhile");

        var script = new StreamScript();
        await StartAsync(script, o => o.Consumer = "me");

        await WaitUntilAsync(() => script.Handled.Count == 2);
        Assert.Equal(["old", "new"], script.Handled.Select(h => h.Message.Key));
    }

    [Fact]
    public async Task Acknowledged_entries_are_trimmed_and_entries_still_pending_or_unread_stay()
    {
        var script = new StreamScript { Handle = (m, _) => Task.FromResult(m.Key == "stays" ? StreamEntryOutcome.Retry : StreamEntryOutcome.Done) };
        var consumer = await StartAsync(script, o => { o.ClaimAfter = TimeSpan.FromMinutes(5); o.TrimInterval = TimeSpan.FromMinutes(5); });
        for (var i = 0; i < 10; i++)
        {
            await PublishAsync("done-" + i, "handled");
        }

        await WaitUntilAsync(() => script.Handled.Count == 10);
        await Consumer(consumer).TrimAsync(Db);
        Assert.True(await Db.StreamLengthAsync(Stream) <= 1, "acknowledged entries are trimmed (the last delivered one may stay)");

        await PublishAsync("stays", "pending: retried later");
        await WaitUntilAsync(() => script.Handled.Any(h => h.Message.Key == "stays"));
        for (var i = 0; i < 3; i++)
        {
            await PublishAsync("later-" + i, "handled");
        }

        await WaitUntilAsync(() => script.Handled.Count == 14);
        await Consumer(consumer).TrimAsync(Db);
        var left = await Db.StreamRangeAsync(Stream);
        Assert.Equal("stays", JsonSerializer.Deserialize<TestMessage>((string)left[0][StreamPublisher.PayloadField]!)!.Key);
        Assert.Equal(1, (await Db.StreamPendingAsync(Stream, "group")).PendingMessageCount);
    }

    private async Task<ServiceProvider> StartAsync(StreamScript script, Action<StreamConsumerOptions>? configure = null)
    {
        var options = new StreamConsumerOptions
        {
            Stream = Stream, Group = "group", Consumer = "test", DeadLetterStream = Dead, NudgeChannel = "test:nudge",
            MaxDeliveries = 3, ClaimAfter = TimeSpan.FromSeconds(1), IdlePollInterval = TimeSpan.FromMilliseconds(100),
        };
        configure?.Invoke(options);
        var services = new ServiceCollection()
            .AddFakeLogging()
            .AddSingleton<IConnectionMultiplexer>(_connection)
            .AddSingleton(script)
            .AddScoped<AsyncOnlyScopedResource>()
            .AddStreamConsumer<TestMessage, ScriptedStreamHandler>(_ => options)
            .BuildServiceProvider();
        _consumers.Add(services);
        await Consumer(services).StartAsync(CancellationToken.None);
        return services;
    }

    private static RedisStreamConsumer<TestMessage, ScriptedStreamHandler> Consumer(ServiceProvider services) =>
        services.GetRequiredService<RedisStreamConsumer<TestMessage, ScriptedStreamHandler>>();

    private Task PublishAsync(string key, string body) => _connection.PublishAsync(Stream, new TestMessage(key, body), key, "test:nudge");

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not hold within 20 s.");
            }

            await Task.Delay(25);
        }
    }
}
