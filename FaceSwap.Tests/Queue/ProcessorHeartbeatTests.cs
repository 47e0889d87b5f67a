using FaceSwap.Contracts;
using FaceSwap.Processor.Queue;
using FaceSwap.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FaceSwap.Tests.Queue;

public sealed class ProcessorHeartbeatTests
{
    [Fact]
    public async Task A_stopped_processor_deletes_its_heartbeat_so_it_stops_counting_as_alive_at_once()
    {
        await using var redisServer = await RedisServer.StartAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(redisServer.ConnectionString);
        var options = new ProcessorOptions { ConsumerName = "heartbeat-test" };
        using var heartbeat = new ProcessorHeartbeat(redis, Options.Create(options), new ProcessorState(new ServiceCollection().BuildServiceProvider()),
            TimeProvider.System, NullLogger<ProcessorHeartbeat>.Instance);
        var key = QueueNames.HeartbeatPrefix + options.ConsumerName;

        await heartbeat.StartAsync(CancellationToken.None);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await redis.GetDatabase().KeyExistsAsync(key))
        {
            Assert.True(DateTime.UtcNow < deadline, "no heartbeat written");
            await Task.Delay(50);
        }

        await heartbeat.StopAsync(CancellationToken.None);

        Assert.False(await redis.GetDatabase().KeyExistsAsync(key));
    }
}
