using FaceSwap.Contracts;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FaceSwap.Processor.Queue;

/// <summary>Tells the bot API which processors are alive: a key per processor that expires unless renewed, deleted on stop.</summary>
public sealed class ProcessorHeartbeat(IConnectionMultiplexer redis, IOptions<ProcessorOptions> options, ProcessorState state,
    TimeProvider time, ILogger<ProcessorHeartbeat> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private string Key => QueueNames.HeartbeatPrefix + options.Value.ConsumerName;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await redis.GetDatabase().StringSetAsync(Key, state.Completed, Interval * 3);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                logger.LogWarning(ex, "Heartbeat not written");
            }

            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // A stopped processor leaves at once rather than counting as alive until its key expires.
            await redis.GetDatabase().KeyDeleteAsync(Key);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Heartbeat key {Key} not deleted at stop; it expires by itself", Key);
        }
    }
}
