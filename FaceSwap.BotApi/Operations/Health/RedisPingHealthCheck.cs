using FaceSwap.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FaceSwap.BotApi.Operations.Health;

/// <summary>Health check <c>redis</c>: PING; Unhealthy when it fails, Degraded when slower than <c>Health:RedisDegradedLatency</c>.</summary>
public sealed class RedisPingHealthCheck(IConnectionMultiplexer redis, IOptions<HealthThresholds> thresholds) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.GetDatabase().PingAsync();
            var data = new Dictionary<string, object> { ["latencyMs"] = Math.Round(latency.TotalMilliseconds, 2) };
            return latency >= thresholds.Value.RedisDegradedLatency
                ? HealthCheckResult.Degraded($"PING took {latency.TotalMilliseconds:F0} ms", data: data)
                : HealthCheckResult.Healthy($"PING {latency.TotalMilliseconds:F1} ms", data);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            return HealthCheckResult.Unhealthy("Redis not reachable: " + ex.Message, ex);
        }
    }
}
