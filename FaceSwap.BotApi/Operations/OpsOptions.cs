using System.ComponentModel.DataAnnotations;

namespace FaceSwap.BotApi.Operations;

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
    [Range(typeof(TimeSpan), "00:00:05", "10675199.02:48:05.4775807", ErrorMessage = "Ops:AlertCheckInterval must be at least 00:00:05.")]
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
