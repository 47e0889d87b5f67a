using System.ComponentModel.DataAnnotations;

namespace FaceSwap.BotApi.Telegram;

public sealed class TelegramOptions : IValidatableObject
{
    public const string SectionName = "Telegram";

    [Required(ErrorMessage = "Telegram:BotToken (env Telegram__BotToken or BOT_TOKEN) is required: the token BotFather gave, or run through the AppHost to use the local emulator.")]
    [RegularExpression(@"^\d+:[A-Za-z0-9_-]+$", ErrorMessage = "Telegram:BotToken must look like 123456:ABC-DEF (digits, a colon, then the secret).")]
    public string BotToken { get; set; } = "";

    [Required]
    public Uri ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    public TelegramMode Mode { get; set; } = TelegramMode.Webhook;

    /// <summary>Sent back by Telegram in <c>X-Telegram-Bot-Api-Secret-Token</c>; 1-256 of A-Z a-z 0-9 _ -.</summary>
    [RegularExpression("^[A-Za-z0-9_-]{1,256}$", ErrorMessage = "Telegram:WebhookSecret must be 1-256 characters of A-Z, a-z, 0-9, _ and -.")]
    public string? WebhookSecret { get; set; }

    /// <summary>When set, BotApi registers its webhook at <c>{PublicUrl}/telegram/webhook</c> at start.</summary>
    public Uri? PublicUrl { get; set; }

    /// <summary>Long-poll wait of getUpdates; below the HTTP client's timeout.</summary>
    [Range(0, 50)]
    public int PollingTimeoutSeconds { get; set; } = 20;

    /// <summary>
    /// Messages the bot sends one chat at once before it paces itself to <see cref="PerChatMessagesPerSecond"/>.
    /// Telegram asks for about one a second per chat and tolerates short bursts without saying how long; 5 stays
    /// well inside what it tolerates.
    /// </summary>
    [Range(1, 100)]
    public int PerChatBurst { get; set; } = 5;

    [Range(0.1, 30)]
    public double PerChatMessagesPerSecond { get; set; } = 1;

    /// <summary>Telegram's overall limit for a bot is about 30 messages a second.</summary>
    [Range(1, 1000)]
    public int MessagesPerSecond { get; set; } = 30;

    public static Uri DefaultApiBaseUrl { get; } = new("https://api.telegram.org");

    public bool UsesDefaultServer => ApiBaseUrl == DefaultApiBaseUrl;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Mode == TelegramMode.Webhook && string.IsNullOrEmpty(WebhookSecret))
        {
            yield return new ValidationResult(
                "Telegram:WebhookSecret (env Telegram__WebhookSecret) is required in webhook mode: without it anyone could post fake updates.",
                [nameof(WebhookSecret)]);
        }
    }
}
