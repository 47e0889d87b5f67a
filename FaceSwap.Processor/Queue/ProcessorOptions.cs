using System.ComponentModel.DataAnnotations;

namespace FaceSwap.Processor.Queue;

public sealed class ProcessorOptions
{
    public const string SectionName = "Processor";

    /// <summary>
    /// A job pending this long with a silent (dead) processor is taken over by another, and a job that failed is tried
    /// again after this long. A live processor renews the claim of the job in hand every third of it, so a slow job
    /// (a hosted swap near its deadline) is never run twice.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:03", "10675199.02:48:05.4775807", ErrorMessage = "Processor:VisibilityTimeout must be at least 00:00:03.")]
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Jobs handled at once by this processor: 1 for the CPU-bound local engine; more suit the hosted one.</summary>
    [Range(1, 64)]
    public int JobsInParallel { get; set; } = 1;

    /// <summary>Deliveries after which a job goes to the dead-letter stream (and its credit is refunded).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Longest one swap may take.</summary>
    public TimeSpan JobTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long the result image stays in Redis for the bot (and its "as file" button).</summary>
    public TimeSpan ResultTimeToLive { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Fallback poll when no nudge arrives; the nudge makes the usual latency far lower.</summary>
    public TimeSpan IdlePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// After a job, with none other in hand, collect the managed heap and trim the native one (see <c>JobMemory</c>):
    /// the processor's resident memory between jobs stays near its idle size instead of its largest job's.
    /// </summary>
    public bool ReleaseMemoryAfterJob { get; set; } = true;

    /// <summary>This processor's consumer name in the group; unique per process.</summary>
    public string ConsumerName { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";
}
