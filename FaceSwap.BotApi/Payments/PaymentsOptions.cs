using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace FaceSwap.BotApi.Payments;

/// <summary>Section <c>Payments</c>: the credit packs on sale and the operators allowed to grant and refund.</summary>
public sealed class PaymentsOptions : IValidatableObject
{
    public const string SectionName = "Payments";

    public List<CreditPack> Packs { get; set; } = [];

    /// <summary>Telegram user ids that may use /grant, /refund and /stats.</summary>
    public List<long> AdminUserIds { get; set; } = [];

    public CreditPack? FindPack(string packId) => Packs.FirstOrDefault(p => string.Equals(p.Id, packId, StringComparison.Ordinal));

    public bool IsAdmin(long userId) => AdminUserIds.Contains(userId);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Packs.Count == 0)
        {
            yield return new ValidationResult("Payments:Packs must list at least one credit pack (Id, Credits, Stars, StripeAmount, StripeCurrency).", [nameof(Packs)]);
        }

        // ValidateDataAnnotations does not look inside list items, so each pack is validated here, named by its index.
        for (var i = 0; i < Packs.Count; i++)
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(Packs[i], new ValidationContext(Packs[i]), results, validateAllProperties: true);
            foreach (var result in results)
            {
                yield return new ValidationResult($"Payments:Packs:{i}: {result.ErrorMessage}", [nameof(Packs)]);
            }
        }

        foreach (var duplicate in Packs.GroupBy(p => p.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            yield return new ValidationResult($"Payments:Packs: the pack id '{duplicate.Key}' is used {duplicate.Count()} times; ids must be unique.", [nameof(Packs)]);
        }
    }
}

/// <summary>A pack of swap credits, sold for Telegram Stars and (when Stripe is configured) by card.</summary>
public sealed class CreditPack
{
    /// <summary>Short and plain: it travels in callback data (64 bytes) and invoice payloads (128 bytes).</summary>
    [Required, RegularExpression("^[a-z0-9_-]{1,16}$", ErrorMessage = "Id must be 1-16 characters of a-z, 0-9, _ and -.")]
    public string Id { get; set; } = "";

    [Range(1, 100_000, ErrorMessage = "Credits must be between 1 and 100000.")]
    public int Credits { get; set; }

    /// <summary>Price in Telegram Stars (currency XTR).</summary>
    [Range(1, 100_000, ErrorMessage = "Stars must be between 1 and 100000.")]
    public int Stars { get; set; }

    /// <summary>Card price in the currency's smallest unit (cents for EUR and USD), as Stripe takes it.</summary>
    [Range(50, 100_000_000, ErrorMessage = "StripeAmount must be between 50 and 100000000 (smallest currency unit, e.g. cents).")]
    public long StripeAmount { get; set; }

    /// <summary>ISO currency code in lower case, as Stripe writes it (eur, usd).</summary>
    [Required, RegularExpression("^[a-z]{3}$", ErrorMessage = "StripeCurrency must be a three-letter lower-case ISO code such as eur.")]
    public string StripeCurrency { get; set; } = "eur";

    /// <summary>The card price for people: 1.99 EUR. Assumes a two-decimal currency, as EUR, USD and GBP are.</summary>
    public string CardPrice => string.Create(CultureInfo.InvariantCulture, $"{StripeAmount / 100m:0.00} {StripeCurrency.ToUpperInvariant()}");
}

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
