using System.Globalization;

namespace FaceSwap.Benchmarks.Load;

public sealed record LoadResult(int Requests, int Failed, double AchievedPerSecond, double P50Ms, double P99Ms, double MaxMs)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Requests} requests, {Failed} failed, {AchievedPerSecond:F0}/s achieved, p50 {P50Ms:F2} ms, p99 {P99Ms:F2} ms, max {MaxMs:F1} ms");
}
