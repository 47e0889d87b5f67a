using FaceSwap.BotApi.Operations;
using FaceSwap.BotApi.Operations.Alerts;
using FaceSwap.Tests.Support;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FaceSwap.Tests.Operations;

/// <summary>The alerter tells the operator once per change, stays quiet during an outage, and says when it recovered.</summary>
public sealed class AlerterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ScriptedHealth _health = new();
    private readonly RecordingSink _sink = new();

    private OperationsAlerter Alerter(Action<OpsOptions>? change = null)
    {
        var options = new OpsOptions { AlertChatId = 42, AlertCooldown = TimeSpan.FromMinutes(30) };
        change?.Invoke(options);
        return new OperationsAlerter(_health, _sink, Options.Create(options), SingleReplica.Leases(_time), _time, TestMetrics.Create(), NullLogger<OperationsAlerter>.Instance);
    }

    [Fact]
    public async Task An_outage_gives_one_alert_and_one_recovery_message()
    {
        var alerter = Alerter();
        _health.Set(("redis", HealthStatus.Healthy), ("telegram", HealthStatus.Healthy));
        await alerter.EvaluateOnceAsync(CancellationToken.None);
        Assert.Empty(_sink.Messages);

        _health.Set(("redis", HealthStatus.Unhealthy), ("telegram", HealthStatus.Healthy));
        for (var minute = 0; minute < 100; minute++)
        {
            await alerter.EvaluateOnceAsync(CancellationToken.None);
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        var alert = Assert.Single(_sink.Messages);
        Assert.Contains("redis is Unhealthy", alert);

        _health.Set(("redis", HealthStatus.Healthy), ("telegram", HealthStatus.Healthy));
        await alerter.EvaluateOnceAsync(CancellationToken.None);
        await alerter.EvaluateOnceAsync(CancellationToken.None);
        Assert.Equal(2, _sink.Messages.Count);
        Assert.Contains("redis recovered", _sink.Messages[1]);
    }

    [Fact]
    public async Task Getting_worse_is_told_but_staying_degraded_is_not()
    {
        var alerter = Alerter();
        _health.Set(("backlog", HealthStatus.Degraded));
        await alerter.EvaluateOnceAsync(CancellationToken.None);
        await alerter.EvaluateOnceAsync(CancellationToken.None);
        _health.Set(("backlog", HealthStatus.Unhealthy));
        await alerter.EvaluateOnceAsync(CancellationToken.None);
        _health.Set(("backlog", HealthStatus.Degraded));
        await alerter.EvaluateOnceAsync(CancellationToken.None);

        Assert.Equal(2, _sink.Messages.Count);
        Assert.Contains("backlog is Degraded", _sink.Messages[0]);
        Assert.Contains("backlog got worse, now Unhealthy", _sink.Messages[1]);
    }

    [Fact]
    public async Task A_flapping_check_alerts_again_only_after_the_cooldown()
    {
        var alerter = Alerter();
        for (var i = 0; i < 10; i++)
        {
            _health.Set(("telegram", HealthStatus.Unhealthy));
            await alerter.EvaluateOnceAsync(CancellationToken.None);
            _time.Advance(TimeSpan.FromMinutes(1));
            _health.Set(("telegram", HealthStatus.Healthy));
            await alerter.EvaluateOnceAsync(CancellationToken.None);
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        // 20 minutes of flapping: the first outage and its recovery only.
        Assert.Equal(2, _sink.Messages.Count);

        _time.Advance(TimeSpan.FromMinutes(30));
        _health.Set(("telegram", HealthStatus.Unhealthy));
        await alerter.EvaluateOnceAsync(CancellationToken.None);
        Assert.Equal(3, _sink.Messages.Count);
    }

    [Fact]
    public async Task An_alert_that_could_not_be_sent_is_sent_next_round()
    {
        var alerter = Alerter();
        _health.Set(("sqlite", HealthStatus.Unhealthy));
        _sink.Fail = true;
        Assert.Empty(await alerter.EvaluateOnceAsync(CancellationToken.None));
        _sink.Fail = false;
        Assert.Single(await alerter.EvaluateOnceAsync(CancellationToken.None));
        Assert.Empty(await alerter.EvaluateOnceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Degraded_and_ignored_checks_can_be_left_out()
    {
        var alerter = Alerter(o => (o.AlertOnDegraded, o.AlertIgnoredChecks) = (false, ["memory"]));
        _health.Set(("backlog", HealthStatus.Degraded), ("memory", HealthStatus.Unhealthy), ("disk", HealthStatus.Unhealthy));
        await alerter.EvaluateOnceAsync(CancellationToken.None);
        Assert.Contains("disk", Assert.Single(_sink.Messages));
    }

    private sealed class ScriptedHealth : HealthCheckService
    {
        private HealthReport _report = new(new Dictionary<string, HealthReportEntry>(), TimeSpan.Zero);

        public void Set(params (string Name, HealthStatus Status)[] checks) => _report = new HealthReport(
            checks.ToDictionary(c => c.Name, c => new HealthReportEntry(c.Status, $"{c.Name} says {c.Status}", TimeSpan.Zero, null, null)),
            TimeSpan.Zero);

        public override Task<HealthReport> CheckHealthAsync(Func<HealthCheckRegistration, bool>? predicate, CancellationToken cancellationToken = default) =>
            Task.FromResult(_report);
    }

    private sealed class RecordingSink : IAlertSink
    {
        public List<string> Messages { get; } = [];
        public bool Fail { get; set; }

        public Task SendAsync(string text, CancellationToken cancellationToken)
        {
            if (Fail)
            {
                return Task.FromException(new HttpRequestException("Telegram is down"));
            }

            Messages.Add(text);
            return Task.CompletedTask;
        }
    }
}
