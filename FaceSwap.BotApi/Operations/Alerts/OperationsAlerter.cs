using FaceSwap.BotApi.Data.Leases;
using FaceSwap.BotApi.Telegram;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Operations.Alerts;

/// <summary>
/// Runs every health check each <c>Ops:AlertCheckInterval</c> and posts what changed to the operator chat.
/// Disabled when <c>Ops:AlertChatId</c> is unset. An alert that could not be sent is tried again next round.
/// One replica evaluates at a time (the <see cref="LeaderJobs.Alerts"/> lease), so the operator gets one alert, not one
/// per replica; the one taking over starts with no memory of what was sent (at worst an alert is repeated once).
/// </summary>
public sealed class OperationsAlerter(HealthCheckService health, IAlertSink sink, IOptions<OpsOptions> options, LeaseStore leases, TimeProvider time,
    FaceSwapMetrics metrics, ILogger<OperationsAlerter> logger) : BackgroundService
{
    private readonly AlertEvaluator _evaluator = new(time, options.Value.AlertCooldown, options.Value.AlertOnDegraded, options.Value.AlertIgnoredChecks);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.AlertChatId is null)
        {
            logger.LogInformation("Alerts are off: Ops:AlertChatId is not set");
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.AlertCheckInterval, time, stoppingToken);
                if (await leases.TryLeadAsync(LeaderJobs.Alerts, options.Value.AlertCheckInterval, stoppingToken))
                {
                    await EvaluateOnceAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Alert round failed; next round in {Interval}", options.Value.AlertCheckInterval);
            }
        }
    }

    /// <summary>One round: check, decide, send. Returns what was sent.</summary>
    public async Task<IReadOnlyList<Alert>> EvaluateOnceAsync(CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(cancellationToken);
        var sent = new List<Alert>();
        foreach (var alert in _evaluator.Evaluate(report))
        {
            try
            {
                await sink.SendAsync(alert.Text, cancellationToken);
                _evaluator.Delivered(alert);
                metrics.RecordAlertSent(alert.Check);
                sent.Add(alert);
                logger.LogWarning("Alert sent: {Alert}", alert.Text);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Alert about {Check} not delivered; will retry", alert.Check);
            }
        }

        return sent;
    }
}
