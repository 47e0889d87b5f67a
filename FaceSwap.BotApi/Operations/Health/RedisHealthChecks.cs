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

/// <summary>
/// Health check <c>backlog</c>: jobs on <c>faceswap:jobs</c> not yet acknowledged by group <c>processors</c> (waiting
/// plus in progress), and the age of the oldest; Degraded / Unhealthy above <c>Health:BacklogDegradedJobs</c> /
/// <c>BacklogUnhealthyJobs</c> or <c>OldestJobDegradedAge</c> / <c>OldestJobUnhealthyAge</c>.
/// </summary>
public sealed class JobBacklogHealthCheck(IConnectionMultiplexer redis, IOptions<HealthThresholds> thresholds, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var database = redis.GetDatabase();
            var length = await database.StreamLengthAsync(QueueNames.Jobs);
            var groups = length == 0 && !await database.KeyExistsAsync(QueueNames.Jobs) ? [] : await database.StreamGroupInfoAsync(QueueNames.Jobs);
            var group = groups.FirstOrDefault(g => g.Name == QueueNames.ProcessorGroup);

            long pending = 0;
            string? oldestId = null;
            long waiting;
            if (group.Name is null)
            {
                // No processor ever joined: everything on the stream waits.
                waiting = length;
                oldestId = length > 0 ? (await database.StreamRangeAsync(QueueNames.Jobs, "-", "+", count: 1)).FirstOrDefault().Id.ToString() : null;
            }
            else
            {
                var summary = await database.StreamPendingAsync(QueueNames.Jobs, QueueNames.ProcessorGroup);
                pending = summary.PendingMessageCount;
                oldestId = pending > 0 ? summary.LowestPendingMessageId.ToString() : null;
                // Entries after the group's last delivered id have not been read by any processor yet.
                var undelivered = await database.StreamRangeAsync(QueueNames.Jobs, "(" + group.LastDeliveredId, "+");
                waiting = undelivered.Length;
                if (oldestId is null && undelivered.Length > 0)
                {
                    oldestId = undelivered[0].Id.ToString();
                }
            }

            var backlog = pending + waiting;
            FaceSwapMetrics.SetBacklog(backlog);
            var oldestAge = oldestId is null ? TimeSpan.Zero : time.GetUtcNow() - TimestampOf(oldestId);
            if (oldestAge < TimeSpan.Zero)
            {
                oldestAge = TimeSpan.Zero;
            }

            var data = new Dictionary<string, object>
            {
                ["streamLength"] = length,
                ["pending"] = pending,
                ["waiting"] = waiting,
                ["oldestAgeSeconds"] = Math.Round(oldestAge.TotalSeconds, 1),
            };
            var limits = thresholds.Value;
            var description = $"{waiting} waiting, {pending} in progress; oldest {oldestAge.TotalSeconds:F0} s";
            if (backlog >= limits.BacklogUnhealthyJobs || oldestAge >= limits.OldestJobUnhealthyAge)
            {
                return HealthCheckResult.Unhealthy(description, data: data);
            }

            return backlog >= limits.BacklogDegradedJobs || oldestAge >= limits.OldestJobDegradedAge
                ? HealthCheckResult.Degraded(description, data: data)
                : HealthCheckResult.Healthy(description, data);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Backlog unknown: " + ex.Message, ex);
        }
    }

    /// <summary>A stream id is <c>milliseconds-sequence</c>, so it tells when the job was queued.</summary>
    internal static DateTimeOffset TimestampOf(string streamId)
    {
        var dash = streamId.IndexOf('-', StringComparison.Ordinal);
        return DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(dash < 0 ? streamId : streamId[..dash], System.Globalization.CultureInfo.InvariantCulture));
    }
}

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
