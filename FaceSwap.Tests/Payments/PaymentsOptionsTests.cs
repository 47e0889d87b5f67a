using System.ComponentModel.DataAnnotations;
using FaceSwap.BotApi.Payments;
using FaceSwap.Tests.Support;
using Microsoft.Extensions.Options;

namespace FaceSwap.Tests.Payments;

public sealed class PaymentsOptionsTests
{
    [Fact]
    public void Duplicate_ids_and_non_positive_numbers_are_reported_by_key()
    {
        var options = new PaymentsOptions
        {
            Packs =
            [
                new CreditPack { Id = "small", Credits = 10, Stars = 50, StripeAmount = 199 },
                new CreditPack { Id = "small", Credits = 0, Stars = 50, StripeAmount = 199 },
                new CreditPack { Id = "Big Pack", Credits = 5, Stars = -1, StripeAmount = 199, StripeCurrency = "EUR" },
            ],
        };

        var errors = Validate(options);

        Assert.Contains(errors, e => e.Contains("'small' is used 2 times", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Payments:Packs:1: Credits", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Payments:Packs:2: Id", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Payments:Packs:2: Stars", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Payments:Packs:2: StripeCurrency", StringComparison.Ordinal));
    }

    [Fact]
    public void No_packs_is_an_error_and_the_defaults_shape_is_valid()
    {
        Assert.Single(Validate(new PaymentsOptions()));
        Assert.Empty(Validate(new PaymentsOptions { Packs = [new CreditPack { Id = "small", Credits = 10, Stars = 50, StripeAmount = 199 }] }));
    }

    [Fact]
    public void A_stripe_key_without_a_webhook_secret_is_refused()
    {
        Assert.Contains(Validate(new StripeOptions { SecretKey = "sk_test_x" }), e => e.StartsWith("Stripe:WebhookSecret", StringComparison.Ordinal));
        Assert.Empty(Validate(new StripeOptions()));
    }

    [Fact]
    public void The_bot_api_refuses_to_start_with_a_bad_pack_and_names_the_key()
    {
        using var factory = UnstartedBotApi.With(("Payments:Packs:1:Id", "small")); // the same id as appsettings.json's first pack

        var error = Assert.Throws<OptionsValidationException>(() => factory.Server);

        Assert.Contains("Payments:Packs: the pack id 'small' is used 2 times", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("p1:small:10:42", "small", 10, 42L)]
    [InlineData("p1:x:1:0", "x", 1, 0L)]
    public void Invoice_payloads_round_trip(string text, string pack, int credits, long user)
    {
        Assert.Equal(new InvoicePayload(pack, credits, user), InvoicePayload.Parse(text));
        Assert.Equal(text, new InvoicePayload(pack, credits, user).ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("p1:small:0:42")]
    [InlineData("p1:small:10")]
    [InlineData("p2:small:10:42")]
    [InlineData("p1::10:42")]
    public void Malformed_invoice_payloads_are_refused(string? text) => Assert.Null(InvoicePayload.Parse(text));

    private static List<string> Validate(object options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => r.ErrorMessage!).ToList();
    }
}
