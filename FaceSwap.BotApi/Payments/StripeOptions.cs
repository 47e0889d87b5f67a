using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace FaceSwap.BotApi.Payments;

/// <summary>Section <c>Stripe</c>. With no secret key the card option is hidden; Stars always work.</summary>
public sealed class StripeOptions : IValidatableObject
{
    public const string SectionName = "Stripe";

    /// <summary>Secret API key (sk_live_... or sk_test_...); env Stripe__SecretKey or STRIPE_SECRET_KEY.</summary>
    public string? SecretKey { get; set; }

    /// <summary>Signing secret of the webhook endpoint (whsec_...); env Stripe__WebhookSecret or STRIPE_WEBHOOK_SECRET.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Stripe's API base; tests point it at a local fake.</summary>
    [Required]
    public Uri ApiBaseUrl { get; set; } = new("https://api.stripe.com");

    /// <summary>Where Checkout sends the buyer after paying; default the bot's t.me link.</summary>
    public Uri? SuccessUrl { get; set; }

    /// <summary>Where Checkout sends the buyer who gives up; default the bot's t.me link.</summary>
    public Uri? CancelUrl { get; set; }

    /// <summary>Attempts Stripe.net makes on network errors; it sends idempotency keys, so retries create nothing twice.</summary>
    [Range(0, 5)]
    public int MaxNetworkRetries { get; set; } = 2;

    public bool Enabled => !string.IsNullOrWhiteSpace(SecretKey);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && string.IsNullOrWhiteSpace(WebhookSecret))
        {
            // Without the webhook no card payment would ever be credited: the buyer would pay for nothing.
            yield return new ValidationResult(
                "Stripe:WebhookSecret (env Stripe__WebhookSecret or STRIPE_WEBHOOK_SECRET) is required when Stripe:SecretKey is set: card payments are credited from the webhook.",
                [nameof(WebhookSecret)]);
        }
    }
}
