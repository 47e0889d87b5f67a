using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FaceSwap.BotApi.Operations.Alerts;

/// <summary>
/// Turns successive health reports into alerts, one per change the operator needs to know about:
/// a check going bad (once, then quiet while it stays bad), getting worse (Degraded to Unhealthy), and recovering.
/// A check that flaps does not raise a new "down" alert within the cool-down after the last one.
/// </summary>
public sealed class AlertEvaluator(TimeProvider time, TimeSpan cooldown, bool alertOnDegraded, IReadOnlyCollection<string> ignored)
{
    private readonly Dictionary<string, (HealthStatus Notified, DateTimeOffset? LastAlertAt)> _checks = [];

    /// <summary>The alerts this report calls for. Call <see cref="Delivered"/> for each one sent.</summary>
    public IReadOnlyList<Alert> Evaluate(HealthReport report)
    {
        var alerts = new List<Alert>();
        var now = time.GetUtcNow();
        foreach (var (name, entry) in report.Entries)
        {
            if (ignored.Contains(name) || name == "self")
            {
                continue;
            }

            var status = entry.Status == HealthStatus.Degraded && !alertOnDegraded ? HealthStatus.Healthy : entry.Status;
            var (notified, lastAlertAt) = _checks.GetValueOrDefault(name, (HealthStatus.Healthy, null));
            if (status == HealthStatus.Healthy)
            {
                if (notified != HealthStatus.Healthy)
                {
                    alerts.Add(new Alert(name, status, true, $"✅ {name} recovered: {entry.Description}"));
                }
            }
            else if (notified == HealthStatus.Healthy)
            {
                if (lastAlertAt is null || now - lastAlertAt >= cooldown)
                {
                    alerts.Add(new Alert(name, status, false, $"{Icon(status)} {name} is {status}: {entry.Description}"));
                }
            }
            else if (status < notified)
            {
                // HealthStatus orders Unhealthy < Degraded < Healthy: this is an escalation.
                alerts.Add(new Alert(name, status, false, $"{Icon(status)} {name} got worse, now {status}: {entry.Description}"));
            }
        }

        return alerts;
    }

    /// <summary>Remembers that the operator was told, so the same state is not announced again.</summary>
    public void Delivered(Alert alert) =>
        _checks[alert.Check] = alert.Recovered
            ? (HealthStatus.Healthy, _checks.GetValueOrDefault(alert.Check).LastAlertAt)
            : (alert.Status, time.GetUtcNow());

    private static string Icon(HealthStatus status) => status == HealthStatus.Unhealthy ? "🔴" : "🟡";
}
