using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FaceSwap.Processor.Engines;

/// <summary>Health check <c>engine</c>: asks the configured engine about itself.</summary>
public sealed class EngineHealthCheck(IFaceSwapEngine engine) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var result = await engine.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        return new HealthCheckResult(
            result.Status == HealthStatus.Unhealthy ? context.Registration.FailureStatus : result.Status,
            $"{engine.Name}: {result.Description}",
            result.Exception,
            result.Data);
    }
}
