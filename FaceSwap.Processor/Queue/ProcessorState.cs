using FaceSwap.Contracts;
using FaceSwap.Messaging;
using FaceSwap.Processor.Operations;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FaceSwap.Processor.Queue;

/// <summary>Whether the job consumer reads the stream; the readiness check reports it.</summary>
public sealed class ProcessorState(IServiceProvider services) : IHealthCheck
{
    private long _completed;

    public long Completed => Interlocked.Read(ref _completed);

    public void RecordCompleted() => Interlocked.Increment(ref _completed);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = services.GetRequiredService<RedisStreamConsumer<SwapJobMessage, SwapJobHandler>>().Status;
        // Unready while draining, so the orchestrator and the dashboard see this replica is taking no new jobs.
        if (services.GetService<ProcessorDrain>() is { Draining: true } drain)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(drain.Drained
                ? $"Drained: taking no jobs; {Completed} swaps done"
                : $"Draining: taking no jobs, finishing {status.InFlight} in hand"));
        }

        return Task.FromResult(status switch
        {
            { LastError: { } error } => HealthCheckResult.Unhealthy($"Not consuming {QueueNames.Jobs}: {error}"),
            { LastReadAt: null } => HealthCheckResult.Unhealthy("Not consuming jobs yet"),
            _ => HealthCheckResult.Healthy($"Consuming {QueueNames.Jobs}; {Completed} swaps done, {status.InFlight} in hand, " +
                $"{status.Retried} retried, {status.DeadLettered} dead-lettered"),
        });
    }
}
