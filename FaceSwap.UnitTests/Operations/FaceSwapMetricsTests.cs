using FaceSwap.BotApi.Operations;
using FaceSwap.ContentSafety;
using FaceSwap.Tests.Support;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;

namespace FaceSwap.Tests.Operations;

/// <summary>
/// The metrics come from the host's meter factory under the names, units and tags the dashboards and alerts use, and
/// two hosts in one process (tests in parallel) count separately.
/// </summary>
public sealed class FaceSwapMetricsTests
{
    [Fact]
    public void Two_instances_count_separately_under_the_same_meter_and_instrument_names()
    {
        var first = TestMetrics.Create(out var firstFactory);
        var second = TestMetrics.Create(out var secondFactory);
        using var firstErrors = new MetricCollector<long>(firstFactory, ServiceDefaultsExtensions.FaceSwapTelemetryName, "faceswap.telegram.errors");
        using var secondErrors = new MetricCollector<long>(secondFactory, ServiceDefaultsExtensions.FaceSwapTelemetryName, "faceswap.telegram.errors");

        first.RecordTelegramError("sendMessage", 500);
        first.RecordTelegramError("sendPhoto", 502);
        second.RecordTelegramError("sendMessage", 429);

        Assert.Equal([500, 502], firstErrors.GetMeasurementSnapshot().Select(m => (int)m.Tags["status"]!));
        var only = Assert.Single(secondErrors.GetMeasurementSnapshot());
        Assert.Equal(429, only.Tags["status"]);
        Assert.Equal("sendMessage", only.Tags["method"]);
        Assert.Same(first.Meter, firstErrors.Instrument!.Meter);
        Assert.NotSame(first.Meter, second.Meter);
    }

    [Fact]
    public void A_429_also_counts_as_rate_limited_with_its_method()
    {
        var metrics = TestMetrics.Create(out var factory);
        using var limited = new MetricCollector<long>(factory, ServiceDefaultsExtensions.FaceSwapTelemetryName, "faceswap.telegram.rate_limited");

        metrics.RecordTelegramError("sendPhoto", 500);
        metrics.RecordTelegramError("sendPhoto", 429);

        var measurement = Assert.Single(limited.GetMeasurementSnapshot());
        Assert.Equal(1, measurement.Value);
        Assert.Equal("sendPhoto", measurement.Tags["method"]);
        Assert.Equal("{request}", limited.Instrument!.Unit);
    }

    [Fact]
    public void The_gauges_report_this_instance_s_last_values()
    {
        var metrics = TestMetrics.Create(out var factory);
        using var backlog = new MetricCollector<long>(factory, ServiceDefaultsExtensions.FaceSwapTelemetryName, "faceswap.jobs.backlog");
        using var backup = new MetricCollector<long>(factory, ServiceDefaultsExtensions.FaceSwapTelemetryName, "faceswap.backup.last_success");

        metrics.SetBacklog(7);
        metrics.SetLastBackup(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        backlog.RecordObservableInstruments();
        backup.RecordObservableInstruments();

        Assert.Equal(7, backlog.LastMeasurement!.Value);
        Assert.Equal(1_700_000_000, backup.LastMeasurement!.Value);
        Assert.Equal("s", backup.Instrument!.Unit);
    }

    [Fact]
    public void Content_refusals_carry_the_stage_and_the_class()
    {
        var metrics = TestMetrics.Create(out var factory);
        using var refused = new MetricCollector<long>(factory, ServiceDefaultsExtensions.FaceSwapTelemetryName, "faceswap.content.refused");

        metrics.ContentRefused("intake", NsfwClass.Porn);

        var measurement = Assert.Single(refused.GetMeasurementSnapshot());
        Assert.Equal("intake", measurement.Tags["stage"]);
        Assert.Equal(nameof(NsfwClass.Porn), measurement.Tags["class"]);
    }
}
