using FaceSwap.BotApi.Operations.Backups;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Operations.Health;

/// <summary>
/// Health check <c>backup</c>: the last verified snapshot is at most <c>Health:BackupDegradedIntervals</c> backup
/// intervals old (else Degraded) and at most <c>Health:BackupUnhealthyIntervals</c> (else Unhealthy). Non-critical:
/// a stale backup is an operator's problem, not a reason to refuse updates.
/// </summary>
public sealed class BackupFreshnessHealthCheck(BackupState state, IOptions<BackupOptions> backups, IOptions<HealthThresholds> thresholds,
    TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!backups.Value.Enabled)
        {
            return Task.FromResult(HealthCheckResult.Degraded("Backups are disabled (Backups:Enabled=false)"));
        }

        var now = time.GetUtcNow();
        var interval = backups.Value.Interval;
        // Before the first snapshot, age counts from the start, so a fresh process is not alarmed at once.
        var since = state.LastSuccess ?? state.StartedAt;
        var age = now - since;
        var data = new Dictionary<string, object>
        {
            ["lastSuccess"] = state.LastSuccess?.ToString("O") ?? "none",
            ["lastSnapshot"] = Path.GetFileName(state.LastSnapshot) ?? "none",
            ["ageMinutes"] = Math.Round(age.TotalMinutes, 1),
        };
        if (state.LastError is { } error)
        {
            data["lastError"] = error;
        }

        var description = state.LastSuccess is null ? $"No snapshot yet ({age.TotalMinutes:F0} min since start)" : $"Last snapshot {age.TotalMinutes:F0} min ago";
        if (age >= interval * thresholds.Value.BackupUnhealthyIntervals)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(description, data: data));
        }

        // A failed attempt (disk full, share gone) is worth an operator's look now, not only once the last good
        // snapshot has aged: the cause rarely fixes itself.
        return Task.FromResult(age >= interval * thresholds.Value.BackupDegradedIntervals ? HealthCheckResult.Degraded(description, data: data)
            : state.LastError is { } lastError ? HealthCheckResult.Degraded($"{description}; the last attempt failed: {lastError}", data: data)
            : HealthCheckResult.Healthy(description, data));
    }
}
