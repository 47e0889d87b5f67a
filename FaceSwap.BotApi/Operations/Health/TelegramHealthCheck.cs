using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Operations.Health;

/// <summary>
/// Health check <c>telegram</c>: getMe, called at most every <c>Health:TelegramCheckInterval</c> so probes never hit
/// Telegram each time. Failing is Degraded, failing for longer than <c>Health:TelegramUnhealthyAfter</c> Unhealthy.
/// Tagged non-critical: while Telegram is down the webhook must stay up (Telegram delivers when it is back).
/// </summary>
public sealed class TelegramHealthCheck(Func<CancellationToken, Task> getMe, IOptions<HealthThresholds> thresholds, TimeProvider time) : IHealthCheck
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();
    private DateTimeOffset? _checkedAt;
    private DateTimeOffset? _lastSuccess;
    private string? _lastError;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            if (_checkedAt is null || now - _checkedAt >= thresholds.Value.TelegramCheckInterval)
            {
                try
                {
                    await getMe(cancellationToken);
                    (_lastSuccess, _lastError) = (now, null);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // The message only: exceptions of HttpClient never carry the request URL (and its token).
                    _lastError = ex.Message;
                }

                _checkedAt = now;
            }

            var data = new Dictionary<string, object> { ["checkedAt"] = _checkedAt.Value.ToString("O") };
            if (_lastError is null)
            {
                return HealthCheckResult.Healthy("getMe answered", data);
            }

            var failingSince = _lastSuccess ?? _startedAt;
            return now - failingSince >= thresholds.Value.TelegramUnhealthyAfter
                ? HealthCheckResult.Unhealthy($"getMe failing since {failingSince:u}: {_lastError}", data: data)
                : HealthCheckResult.Degraded($"getMe failed: {_lastError}", data: data);
        }
        finally
        {
            _gate.Release();
        }
    }
}
