using System.ComponentModel.DataAnnotations;

namespace FaceSwap.BotApi.Operations;

/// <summary><c>Health:*</c>: when each check turns Degraded or Unhealthy.</summary>
public sealed class HealthThresholds : IValidatableObject
{
    public const string SectionName = "Health";

    /// <summary>A query slower than this makes <c>sqlite</c> Degraded.</summary>
    public TimeSpan SqliteDegradedLatency { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary><c>PRAGMA integrity_check</c> reads the whole file, so it runs at most this often; the result is cached.</summary>
    public TimeSpan SqliteIntegrityInterval { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan RedisDegradedLatency { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>getMe is called at most this often; probes in between get the cached answer.</summary>
    public TimeSpan TelegramCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Telegram failing for longer than this is Unhealthy (before: Degraded).</summary>
    public TimeSpan TelegramUnhealthyAfter { get; set; } = TimeSpan.FromMinutes(10);

    [Range(1, int.MaxValue, ErrorMessage = "Health:BacklogDegradedJobs must be between {1} and {2}.")]
    public int BacklogDegradedJobs { get; set; } = 50;

    [Range(1, int.MaxValue, ErrorMessage = "Health:BacklogUnhealthyJobs must be between {1} and {2}.")]
    public int BacklogUnhealthyJobs { get; set; } = 500;

    public TimeSpan OldestJobDegradedAge { get; set; } = TimeSpan.FromMinutes(2);

    public TimeSpan OldestJobUnhealthyAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Fewer live processors than this is Degraded; none is Unhealthy.</summary>
    [Range(1, 1000, ErrorMessage = "Health:ExpectedProcessors must be between {1} and {2}.")]
    public int ExpectedProcessors { get; set; } = 1;

    [Range(0, long.MaxValue, ErrorMessage = "Health:DiskDegradedMegabytes must be between {1} and {2}.")]
    public long DiskDegradedMegabytes { get; set; } = 1024;

    [Range(0, long.MaxValue, ErrorMessage = "Health:DiskUnhealthyMegabytes must be between {1} and {2}.")]
    public long DiskUnhealthyMegabytes { get; set; } = 100;

    /// <summary>No verified backup for this many backup intervals is Degraded.</summary>
    [Range(1, 1000, ErrorMessage = "Health:BackupDegradedIntervals must be between {1} and {2}.")]
    public int BackupDegradedIntervals { get; set; } = 2;

    [Range(1, 1000, ErrorMessage = "Health:BackupUnhealthyIntervals must be between {1} and {2}.")]
    public int BackupUnhealthyIntervals { get; set; } = 8;

    /// <summary>The window over which the <c>error-rates</c> check counts failures.</summary>
    public TimeSpan ErrorRateWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Failed Telegram calls (429s included) in the window that make <c>error-rates</c> Degraded / Unhealthy.</summary>
    [Range(1, 1_000_000)]
    public int TelegramErrorsDegraded { get; set; } = 20;

    [Range(1, 1_000_000)]
    public int TelegramErrorsUnhealthy { get; set; } = 200;

    /// <summary>Failed or declined payments in the window that make <c>error-rates</c> Degraded / Unhealthy.</summary>
    [Range(1, 1_000_000)]
    public int PaymentFailuresDegraded { get; set; } = 3;

    [Range(1, 1_000_000)]
    public int PaymentFailuresUnhealthy { get; set; } = 20;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BacklogDegradedJobs > BacklogUnhealthyJobs)
        {
            yield return new("Health:BacklogDegradedJobs must not be above Health:BacklogUnhealthyJobs.", [nameof(BacklogDegradedJobs)]);
        }

        if (OldestJobDegradedAge > OldestJobUnhealthyAge)
        {
            yield return new("Health:OldestJobDegradedAge must not be above Health:OldestJobUnhealthyAge.", [nameof(OldestJobDegradedAge)]);
        }

        if (DiskUnhealthyMegabytes > DiskDegradedMegabytes)
        {
            yield return new("Health:DiskUnhealthyMegabytes must not be above Health:DiskDegradedMegabytes.", [nameof(DiskUnhealthyMegabytes)]);
        }

        if (BackupDegradedIntervals > BackupUnhealthyIntervals)
        {
            yield return new("Health:BackupDegradedIntervals must not be above Health:BackupUnhealthyIntervals.", [nameof(BackupDegradedIntervals)]);
        }
    }
}
