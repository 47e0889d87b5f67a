using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Operations.Health;

/// <summary>
/// Turns the key failure metrics (failed Telegram calls and 429s, failed or declined payments) into a health check,
/// so the alerter, which watches health checks, also alerts on them. Counts the FaceSwap meter's measurements in a
/// sliding window through a <see cref="MeterListener"/>, the same numbers the dashboard shows.
/// </summary>
public sealed class ErrorRatesHealthCheck : IHealthCheck, IDisposable
{
    private const string TelegramErrors = "faceswap.telegram.errors";
    private const string PaymentFailures = "faceswap.payments.failed";

    private readonly ConcurrentQueue<DateTimeOffset> _telegram = new();
    private readonly ConcurrentQueue<DateTimeOffset> _payments = new();
    private readonly MeterListener _listener = new();
    private readonly IOptions<HealthThresholds> _thresholds;
    private readonly TimeProvider _time;

    public ErrorRatesHealthCheck(IOptions<HealthThresholds> thresholds, TimeProvider time, FaceSwapMetrics metrics)
    {
        _thresholds = thresholds;
        _time = time;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // This host's meter only: another host in the same process (tests side by side) has a meter of the same name.
            if (instrument.Meter == metrics.Meter && instrument.Name is TelegramErrors or PaymentFailures)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, _, _, _) =>
            (instrument.Name == TelegramErrors ? _telegram : _payments).Enqueue(_time.GetUtcNow()));
        _listener.Start();
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var limits = _thresholds.Value;
        var telegram = CountRecent(_telegram, limits.ErrorRateWindow);
        var payments = CountRecent(_payments, limits.ErrorRateWindow);
        var data = new Dictionary<string, object>
        {
            ["telegramErrors"] = telegram,
            ["paymentFailures"] = payments,
            ["windowMinutes"] = limits.ErrorRateWindow.TotalMinutes,
        };
        var summary = $"{telegram} failed Telegram calls and {payments} failed payments in the last {limits.ErrorRateWindow.TotalMinutes:0} min";
        var status = telegram >= limits.TelegramErrorsUnhealthy || payments >= limits.PaymentFailuresUnhealthy ? HealthStatus.Unhealthy
            : telegram >= limits.TelegramErrorsDegraded || payments >= limits.PaymentFailuresDegraded ? HealthStatus.Degraded
            : HealthStatus.Healthy;
        return Task.FromResult(new HealthCheckResult(status, summary, data: data));
    }

    private int CountRecent(ConcurrentQueue<DateTimeOffset> events, TimeSpan window)
    {
        var since = _time.GetUtcNow() - window;
        while (events.TryPeek(out var oldest) && oldest < since)
        {
            events.TryDequeue(out _);
        }

        return events.Count;
    }

    public void Dispose() => _listener.Dispose();
}
