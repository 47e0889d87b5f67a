using System.ComponentModel.DataAnnotations;

namespace FaceSwap.BotApi.Operations;

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
}
