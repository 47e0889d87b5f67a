using System.Diagnostics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Records every span of real work and none of idle polling. The stream consumers, the processor's heartbeat and the
/// claim renewals call Redis in loops outside any request or job; the Redis instrumentation made each call a trace of
/// its own (two a second, hundreds after a few idle minutes), which buried the swaps' traces in the dashboard. A Redis
/// command made while handling something is a child of that span and stays. Children of a span left unrecorded (the
/// filtered health probes) are dropped too, rather than shown as traces whose root is missing.
/// </summary>
/// <remarks>
/// A sampler and not the instrumentation's <c>Filter</c>: the Redis spans are made later, off the calling thread,
/// where the filter sees only the command, and whether a command had a parent is what tells polling from work.
/// </remarks>
public sealed class QuietPollingSampler : Sampler
{
    private static readonly Sampler ParentBased = new ParentBasedSampler(new QuietPollingSampler(root: true));

    private readonly bool _root;

    private QuietPollingSampler(bool root) => _root = root;

    /// <summary>The sampler the services use: a span's parent decides, and a span without one is recorded unless it is a bare Redis command.</summary>
    public static Sampler Instance => ParentBased;

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        _root && IsRedisCommand(samplingParameters) ? new SamplingResult(SamplingDecision.Drop) : new SamplingResult(SamplingDecision.RecordAndSample);

    private static bool IsRedisCommand(in SamplingParameters parameters)
    {
        if (parameters.Kind != ActivityKind.Client || parameters.Tags is null)
        {
            return false;
        }

        foreach (var (key, value) in parameters.Tags)
        {
            // Both names: the instrumentation emits the old or the new database semantic conventions, or both.
            if (key is "db.system" or "db.system.name" && value as string == "redis")
            {
                return true;
            }
        }

        return false;
    }
}
