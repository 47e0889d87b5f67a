using System.ComponentModel.DataAnnotations;

namespace FaceSwap.TelegramEmulator.Infrastructure;

/// <summary>Settings of the emulated Bot API (section <c>Emulator</c>).</summary>
public sealed class EmulatorOptions
{
    public const string SectionName = "Emulator";

    /// <summary>The only token the emulator accepts; Telegram.Bot insists on "digits:secret".</summary>
    [Required, RegularExpression(@"^[1-9]\d{0,14}:[A-Za-z0-9_-]{10,}$")]
    public string BotToken { get; set; } = "123456789:emulator-local-token-0000000000000";

    [Required, RegularExpression("^[A-Za-z0-9_]{5,32}$")]
    public string BotUsername { get; set; } = "faceswap_local_bot";

    [Required]
    public string BotFirstName { get; set; } = "FaceSwap (local)";

    /// <summary>Per-chat token bucket: sustained messages per second.</summary>
    [Range(0.01, 10_000)]
    public double PerChatMessagesPerSecond { get; set; } = 1;

    /// <summary>Per-chat token bucket: how many messages may be sent at once before throttling.</summary>
    [Range(1, 10_000)]
    public int PerChatBurst { get; set; } = 20;

    /// <summary>Whole-bot token bucket: sustained messages per second.</summary>
    [Range(0.01, 100_000)]
    public double GlobalMessagesPerSecond { get; set; } = 30;

    [Range(1, 100_000)]
    public int GlobalBurst { get; set; } = 30;

    /// <summary>Webhook: attempts per update before it is dropped (Telegram gives up after a day).</summary>
    [Range(1, 10_000)]
    public int WebhookMaxAttempts { get; set; } = 20;

    /// <summary>Webhook: first retry delay; doubles per attempt up to <see cref="WebhookMaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan WebhookRetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan WebhookMaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Webhook: updates older than this are dropped even if attempts remain.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan WebhookMaxUpdateAge { get; set; } = TimeSpan.FromHours(24);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan WebhookRequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a simulated payment waits for answerPreCheckoutQuery (Telegram: 10 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan PreCheckoutTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest side of the biggest PhotoSize (Telegram recompresses photos to 1280 or 2560).</summary>
    [Range(90, 10_000)]
    public int PhotoMaxSide { get; set; } = 1280;

    /// <summary>Largest file a simulated user may upload through the control API.</summary>
    [Range(1, 2_000_000_000)]
    public long MaxUserUploadBytes { get; set; } = 50L * 1024 * 1024;
}
