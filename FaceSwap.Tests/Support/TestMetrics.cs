using System.Diagnostics.Metrics;
using FaceSwap.BotApi.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace FaceSwap.Tests.Support;

/// <summary>
/// Metrics for a component a test builds by hand: each call has a meter factory of its own, as each host does, so a
/// listener on it (MetricCollector, ErrorRatesHealthCheck) hears only that test's measurements.
/// </summary>
public static class TestMetrics
{
    public static FaceSwapMetrics Create() => Create(out _);

    public static FaceSwapMetrics Create(out IMeterFactory meterFactory)
    {
        // Not disposed: the factory would dispose the meter while the component under test may still record.
        meterFactory = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        return new FaceSwapMetrics(meterFactory);
    }
}
