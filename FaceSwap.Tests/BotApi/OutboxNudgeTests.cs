using FaceSwap.BotApi;
using FaceSwap.BotApi.Data.Leases;
using FaceSwap.BotApi.Jobs;
using FaceSwap.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FaceSwap.Tests.BotApi;

/// <summary>
/// A job queued on one replica wakes the outbox dispatcher of another (Jobs/OutboxNudge.cs): only the leader
/// dispatches, so before this a job queued on a standby replica waited for the leader's 2 s poll. Two replicas here are
/// two nudges with their own Redis connections, names and wake signals, on one real redis-server.
/// </summary>
public sealed class OutboxNudgeTests
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_job_queued_on_a_standby_replica_wakes_the_leaders_dispatcher()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var leaderRedis = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        await using var standbyRedis = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var leaderWake = new WakeSignal<JobDispatcher>();
        var standbyWake = new WakeSignal<JobDispatcher>();
        var leader = Nudge(leaderWake, leaderRedis, "replica-a", leases: true);
        var standby = Nudge(standbyWake, standbyRedis, "replica-b", leases: true);
        await leader.ListenAsync();

        standby.Notify();

        Assert.True(await leaderWake.WaitAsync(Delivery, CancellationToken.None), "the leader was not woken by the standby's job");
        Assert.True(await standbyWake.WaitAsync(TimeSpan.Zero, CancellationToken.None), "the standby's own dispatcher is woken at once too");
    }

    [Fact]
    public async Task On_a_lone_replica_the_nudge_stays_in_process()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var heard = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var channel = RedisChannel.Literal(OutboxNudge.Channel);
        await connection.GetSubscriber().SubscribeAsync(channel, (_, message) => heard.Enqueue(message.ToString()));
        var wake = new WakeSignal<JobDispatcher>();
        var lone = Nudge(wake, connection, "only", leases: false);

        lone.Notify();
        // A probe on the same connection after it: Redis handles one connection's commands in order and the library
        // hands one channel's messages over in order, so once the probe is heard a nudge sent before it would have been.
        await connection.GetSubscriber().PublishAsync(channel, "probe");
        await Emulator.EmulatorHost.WaitUntilAsync(() => Task.FromResult(heard.Contains("probe")), Delivery, "the probe was not heard");

        Assert.True(await wake.WaitAsync(TimeSpan.Zero, CancellationToken.None), "the local dispatcher is woken");
        Assert.Equal(["probe"], heard);
    }

    private static OutboxNudge Nudge(WakeSignal<JobDispatcher> wake, IConnectionMultiplexer redis, string replica, bool leases) =>
        new(wake, redis, new LeaseStore(new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>(),
                Options.Create(new ReplicaOptions { Id = replica, Leases = leases }), new ConfigurationBuilder().Build(), TimeProvider.System),
            NullLogger<OutboxNudge>.Instance);
}
