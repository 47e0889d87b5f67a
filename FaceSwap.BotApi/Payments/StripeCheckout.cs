using System.Globalization;
using FaceSwap.BotApi.Data;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;
using Telegram.Bot;

namespace FaceSwap.BotApi.Payments;

/// <summary>Opens a Stripe Checkout Session per purchase attempt; the webhook credits it once paid.</summary>
public sealed class StripeCheckout(
    IHttpClientFactory httpClients,
    IOptions<StripeOptions> options,
    BotLink botLink,
    PaymentBook book)
{
    public const string HttpClientName = "stripe";
    public const string UserIdKey = "user_id";
    public const string PackIdKey = "pack_id";
    public const string CreditsKey = "credits";

    public bool Enabled => options.Value.Enabled;

    /// <summary>
    /// Creates the session and notes the attempt; returns the Checkout page URL. The web app passes its own return
    /// pages; without them Checkout returns to <c>Stripe:SuccessUrl</c> / <c>Stripe:CancelUrl</c>, else the bot's t.me link.
    /// </summary>
    public async Task<string> CreateSessionAsync(BotUser user, CreditPack pack, CancellationToken cancellationToken,
        Uri? successUrl = null, Uri? cancelUrl = null)
    {
        var stripe = options.Value;
        var fallback = await botLink.GetAsync(cancellationToken);
        var userId = user.Id.ToString(CultureInfo.InvariantCulture);
        var metadata = new Dictionary<string, string>
        {
            [UserIdKey] = userId,
            [PackIdKey] = pack.Id,
            [CreditsKey] = pack.Credits.ToString(CultureInfo.InvariantCulture),
        };
        var session = await new SessionService(Client()).CreateAsync(new SessionCreateOptions
        {
            Mode = "payment",
            ClientReferenceId = userId,
            Metadata = metadata,
            // On the payment too, so the dashboard shows whose payment it is.
            PaymentIntentData = new SessionPaymentIntentDataOptions { Metadata = metadata },
            LineItems =
            [
                new SessionLineItemOptions
                {
                    Quantity = 1,
                    PriceData = new SessionLineItemPriceDataOptions
                    {
                        Currency = pack.StripeCurrency,
                        UnitAmount = pack.StripeAmount,
                        ProductData = new SessionLineItemPriceDataProductDataOptions
                        {
                            Name = string.Create(CultureInfo.InvariantCulture, $"FaceSwap: {pack.Credits} credits"),
                        },
                    },
                },
            ],
            SuccessUrl = (successUrl ?? stripe.SuccessUrl ?? fallback).ToString(),
            CancelUrl = (cancelUrl ?? stripe.CancelUrl ?? fallback).ToString(),
        }, cancellationToken: cancellationToken);

        await book.OpenAsync(new Payment
        {
            Provider = PaymentProvider.Stripe,
            ExternalId = session.Id,
            UserId = user.Id,
            PackId = pack.Id,
            Credits = pack.Credits,
            Amount = pack.StripeAmount,
            Currency = pack.StripeCurrency,
        }, cancellationToken);
        return session.Url;
    }

    private StripeClient Client()
    {
        var stripe = options.Value;
        return new StripeClient(
            stripe.SecretKey ?? throw new InvalidOperationException("Stripe:SecretKey is not configured."),
            httpClient: new SystemNetHttpClient(httpClients.CreateClient(HttpClientName), stripe.MaxNetworkRetries),
            apiBase: stripe.ApiBaseUrl.ToString().TrimEnd('/'));
    }
}
