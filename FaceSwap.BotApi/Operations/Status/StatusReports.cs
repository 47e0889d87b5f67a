using FaceSwap.BotApi.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Operations.Status;

/// <summary>
/// The health report the status page shows, reused for <c>Status:ReportCacheDuration</c> so a public page cannot be
/// used to hammer the checks.
/// </summary>
public sealed class StatusReports(HealthCheckService health, IOptions<StatusOptions> options, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (HealthReport Report, DateTimeOffset At)? _cached;

    public async Task<HealthReport> CurrentAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            if (_cached is not { } cached || now - cached.At >= options.Value.ReportCacheDuration)
            {
                _cached = cached = (await health.CheckHealthAsync(cancellationToken), now);
            }

            return cached.Report;
        }
        finally
        {
            _gate.Release();
        }
    }
}
