using FaceSwap.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FaceSwap.BotApi.Operations.Health;

/// <summary>
/// Health check <c>backlog</c>: jobs on <c>faceswap:jobs</c> not yet acknowledged by group <c>processors</c> (waiting
/// plus in progress), and the age of the oldest; Degraded / Unhealthy above <c>Health:BacklogDegradedJobs</c> /
/// <c>BacklogUnhealthyJobs</c> or <c>OldestJobDegradedAge</c> / <c>OldestJobUnhealthyAge</c>.
/// </summary>
public sealed class JobBacklogHealthCheck(IConnectionMultiplexer redis, IOptions<HealthThresholds> thresholds, TimeProvider time, FaceSwapMetrics metrics) : IHealthCheck
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
            metrics.SetBacklog(backlog);
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
