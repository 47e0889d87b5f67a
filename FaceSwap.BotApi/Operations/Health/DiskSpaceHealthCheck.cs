using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Operations.Health;

/// <summary>
/// Health check <c>disk</c>: free space where the database and the backups live. Below
/// <c>Health:DiskUnhealthyMegabytes</c> the inbox cannot store updates safely (Unhealthy, gates readiness);
/// below <c>Health:DiskDegradedMegabytes</c> Degraded.
/// </summary>
public sealed class DiskSpaceHealthCheck(IReadOnlyList<string> directories, IOptions<HealthThresholds> thresholds,
    Func<string, long>? freeBytes = null) : IHealthCheck
{
    private readonly Func<string, long> _freeBytes = freeBytes ?? FreeBytes;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>();
        long lowest = long.MaxValue;
        foreach (var directory in directories.Distinct())
        {
            var megabytes = _freeBytes(directory) / (1024 * 1024);
            data[directory] = megabytes;
            lowest = Math.Min(lowest, megabytes);
        }

        var limits = thresholds.Value;
        var description = $"Lowest free space {lowest} MB";
        return Task.FromResult(lowest <= limits.DiskUnhealthyMegabytes ? HealthCheckResult.Unhealthy(description, data: data)
            : lowest <= limits.DiskDegradedMegabytes ? HealthCheckResult.Degraded(description, data: data)
            : HealthCheckResult.Healthy(description, data));
    }

    private static long FreeBytes(string directory)
    {
        // The directory may not exist yet (first backup); its nearest existing parent is on the same volume.
        var path = Path.GetFullPath(directory);
        while (!Directory.Exists(path) && Path.GetDirectoryName(path) is { } parent)
        {
            path = parent;
        }

        return new DriveInfo(path).AvailableFreeSpace;
    }
}
