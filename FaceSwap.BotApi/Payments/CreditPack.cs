using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace FaceSwap.BotApi.Payments;

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
    public string CardPrice => FormatCardPrice(StripeAmount, StripeCurrency);

    /// <summary>An amount in the smallest unit of a two-decimal currency, for people: 199, eur → 1.99 EUR.</summary>
    public static string FormatCardPrice(long amount, string currency) =>
        string.Create(CultureInfo.InvariantCulture, $"{amount / 100m:0.00} {currency.ToUpperInvariant()}");
}
