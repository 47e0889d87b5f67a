using System.ComponentModel.DataAnnotations;

namespace FaceSwap.BotApi.Jobs;

/// <summary>When the sweeper steps in for a job that got stuck (<see cref="JobSweeper"/>).</summary>
public sealed class JobSweeperOptions
{
    public const string SectionName = "Jobs:Sweeper";

    public bool Enabled { get; set; } = true;

    /// <summary>How often the sweeper looks.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "10675199.02:48:05.4775807", ErrorMessage = "Jobs:Sweeper:Interval must be at least 00:00:01.")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A job on the stream or running this long without a result is stuck. Longer than a job can legitimately take:
    /// the processor's attempts (3) times its job deadline (2 min) plus the claim timeouts between them.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "10675199.02:48:05.4775807", ErrorMessage = "Jobs:Sweeper:StuckAfter must be at least 00:00:10.")]
    public TimeSpan StuckAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often a stuck job is put on the stream again before it is failed and refunded.</summary>
    [Range(0, 10)]
    public int MaxRedispatches { get; set; } = 1;

    /// <summary>An unanswered "which face?" is dropped, and its credit refunded, after this long (the photos expire too).</summary>
    public TimeSpan ChoiceExpiresAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The longest a job can stay in progress before the sweeper has failed it; "a swap is already running" counts only
    /// jobs younger than this, so a job the sweeper has not reached yet never locks its user out for longer.
    /// </summary>
    public TimeSpan GiveUpAfter => StuckAfter * (MaxRedispatches + 1) + Interval * (MaxRedispatches + 2);
}
