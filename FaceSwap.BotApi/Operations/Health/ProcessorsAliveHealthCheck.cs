using FaceSwap.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FaceSwap.BotApi.Operations.Health;

/// <summary>
/// Health check <c>processors</c>: heartbeat keys <c>faceswap:processor:heartbeat:*</c> (each expires unless its
/// processor renews it). None is Unhealthy; fewer than <c>Health:ExpectedProcessors</c> is Degraded.
/// </summary>
public sealed class ProcessorsAliveHealthCheck(IConnectionMultiplexer redis, IOptions<HealthThresholds> thresholds) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var alive = new List<string>();
            foreach (var server in redis.GetServers().Where(s => s.IsConnected && !s.IsReplica))
            {
                await foreach (var key in server.KeysAsync(pattern: QueueNames.HeartbeatPrefix + "*", pageSize: 100).WithCancellation(cancellationToken))
                {
                    alive.Add(key.ToString()[QueueNames.HeartbeatPrefix.Length..]);
                }
            }

            if (redis.GetServers().All(s => !s.IsConnected))
            {
                return HealthCheckResult.Unhealthy("Redis not reachable; processors unknown");
            }

            var data = new Dictionary<string, object> { ["alive"] = alive.Count, ["processors"] = string.Join(",", alive) };
            var expected = thresholds.Value.ExpectedProcessors;
            return alive.Count == 0 ? HealthCheckResult.Unhealthy("No processor is alive: jobs wait", data: data)
                : alive.Count < expected ? HealthCheckResult.Degraded($"{alive.Count} of {expected} processors alive", data: data)
                : HealthCheckResult.Healthy($"{alive.Count} processors alive", data);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Processors unknown: " + ex.Message, ex);
        }
    }
}
