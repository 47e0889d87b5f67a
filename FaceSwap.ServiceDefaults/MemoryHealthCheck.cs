using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>Health check <c>memory</c>: the process's working set against <c>Health:Memory:*Megabytes</c>.</summary>
public sealed class MemoryHealthCheck(Microsoft.Extensions.Options.IOptions<MemoryHealthCheckOptions> options, Func<long>? workingSet = null) : IHealthCheck
{
    private readonly Func<long> _workingSet = workingSet ?? (() => Process.GetCurrentProcess().WorkingSet64);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var megabytes = _workingSet() / (1024 * 1024);
        var data = new Dictionary<string, object> { ["workingSetMegabytes"] = megabytes };
        var limits = options.Value;
        var description = $"Working set {megabytes} MB (degraded at {limits.DegradedMegabytes}, unhealthy at {limits.UnhealthyMegabytes})";
        return Task.FromResult(megabytes >= limits.UnhealthyMegabytes ? HealthCheckResult.Unhealthy(description, data: data)
            : megabytes >= limits.DegradedMegabytes ? HealthCheckResult.Degraded(description, data: data)
            : HealthCheckResult.Healthy(description, data));
    }
}
