using FaceSwap.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FaceSwap.Processor.Queue;

/// <summary>Whether the job loop is consuming; the readiness check reports it.</summary>
public sealed class ProcessorState : IHealthCheck
{
    private volatile bool _consuming;
    private volatile string? _lastError;
    private long _completed;

    public long Completed => Interlocked.Read(ref _completed);

    public void MarkConsuming() => (_consuming, _lastError) = (true, null);

    public void MarkFailed(string error) => (_consuming, _lastError) = (false, error);

    public void RecordCompleted() => Interlocked.Increment(ref _completed);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_consuming
            ? HealthCheckResult.Healthy($"Consuming {QueueNames.Jobs}; {Completed} swaps done")
            : HealthCheckResult.Unhealthy(_lastError ?? "Not consuming jobs yet"));
}

/// <summary>Tells the bot API which processors are alive: a key per processor that expires unless renewed.</summary>
public sealed class ProcessorHeartbeat(IConnectionMultiplexer redis, IOptions<ProcessorOptions> options, ProcessorState state,
    ILogger<ProcessorHeartbeat> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var key = QueueNames.HeartbeatPrefix + options.Value.ConsumerName;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await redis.GetDatabase().StringSetAsync(key, state.Completed, Interval * 3);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                logger.LogWarning(ex, "Heartbeat not written");
            }

            await Task.Delay(Interval, stoppingToken);
        }

        await redis.GetDatabase().KeyDeleteAsync(key);
    }
}
