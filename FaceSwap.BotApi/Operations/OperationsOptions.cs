using System.ComponentModel.DataAnnotations;

namespace FaceSwap.BotApi.Operations;

/// <summary><c>Health:*</c>: when each check turns Degraded or Unhealthy.</summary>
public sealed class HealthThresholds
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
}

/// <summary><c>Backups:*</c>: SQLite snapshots.</summary>
public sealed class BackupOptions
{
    public const string SectionName = "Backups";

    public bool Enabled { get; set; } = true;

    /// <summary>Where snapshots go; default: a <c>backups</c> folder next to the database.</summary>
    public string? Directory { get; set; }

    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The newest this many snapshots are kept...</summary>
    [Range(1, 10_000, ErrorMessage = "Backups:KeepLatest must be between {1} and {2}.")]
    public int KeepLatest { get; set; } = 24;

    /// <summary>...plus the newest of each day for this many days.</summary>
    [Range(0, 3650, ErrorMessage = "Backups:KeepDailyDays must be between {1} and {2}.")]
    public int KeepDailyDays { get; set; } = 14;
}

/// <summary><c>Ops:*</c>: operator access, alerts, and the intake switch.</summary>
public sealed class OpsOptions
{
    public const string SectionName = "Ops";

    /// <summary>Operator key for /health/details and /ops/* (header X-Ops-Key); a secret.</summary>
    [MinLength(16, ErrorMessage = "Ops:ApiKey must be at least 16 characters.")]
    public string? ApiKey { get; set; }

    /// <summary>Telegram chat that receives alerts; unset: no alerts.</summary>
    public long? AlertChatId { get; set; }

    /// <summary>How often the alerter runs the health checks.</summary>
    public TimeSpan AlertCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>After an alert about a check, no new "down" alert for it within this time (flapping).</summary>
    public TimeSpan AlertCooldown { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Alert on Degraded too (else only Unhealthy).</summary>
    public bool AlertOnDegraded { get; set; } = true;

    /// <summary>Checks never alerted about.</summary>
    public string[] AlertIgnoredChecks { get; set; } = [];

    /// <summary>Start with intake paused: the webhook answers 503 and Telegram keeps the updates.</summary>
    public bool PauseIntake { get; set; }
}

/// <summary><c>Status:*</c>: the public status page.</summary>
public sealed class StatusOptions
{
    public const string SectionName = "Status";

    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:05", "1.00:00:00", ErrorMessage = "Status:SampleInterval must be between 00:00:05 and 1.00:00:00.")]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The page reuses a health report this young, so a burst of visitors runs the checks once.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Status:ReportCacheDuration must be between 00:00:00 and 01:00:00.")]
    public TimeSpan ReportCacheDuration { get; set; } = TimeSpan.FromSeconds(10);

    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "01:00:00", "400.00:00:00", ErrorMessage = "Status:Retention must be between 01:00:00 and 400.00:00:00.")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(2);
}

/// <summary><c>RateLimits:*</c>: per client IP.</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>Status page and media per IP per minute.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "RateLimits:PublicPerMinute must be between {1} and {2}.")]
    public int PublicPerMinute { get; set; } = 120;

    /// <summary>Webhook per IP per second: far above what Telegram sends (max_connections 40).</summary>
    [Range(1, int.MaxValue, ErrorMessage = "RateLimits:WebhookPerSecond must be between {1} and {2}.")]
    public int WebhookPerSecond { get; set; } = 500;

    /// <summary>Largest request body Kestrel accepts anywhere.</summary>
    [Range(1024, long.MaxValue, ErrorMessage = "RateLimits:MaxRequestBodyBytes must be between {1} and {2}.")]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}
