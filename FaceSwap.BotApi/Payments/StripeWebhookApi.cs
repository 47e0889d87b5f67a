using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Stripe;

namespace FaceSwap.BotApi.Payments;

public static class StripeWebhookApi
{
    public const string SignatureHeader = "Stripe-Signature";

    /// <summary>Stripe's default tolerance: a signature older than this is refused, so a captured request cannot be replayed.</summary>
    public const long ToleranceSeconds = 300;

    /// <summary>Stripe events are small JSON documents.</summary>
    public const long MaxEventBytes = 512 * 1024;

    public static RouteGroupBuilder MapStripeWebhookApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/stripe").WithTags("Stripe");
        group.MapPost("/webhook", ReceiveEventAsync)
            .WithMetadata(new RequestSizeLimitAttribute(MaxEventBytes))
            .DisableAntiforgery();
        return group;
    }

    /// <summary>
    /// Verifies the signature over the raw body, then fulfils. 2xx only after the effect is committed, so Stripe
    /// redelivers (for up to 3 days) anything that failed; any redelivery is a no-op once credited.
    /// </summary>
    public static async Task<Results<Ok, ProblemHttpResult>> ReceiveEventAsync(
        HttpRequest request, StripeFulfilment fulfilment, IOptions<StripeOptions> options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var secret = options.Value.WebhookSecret;
        if (string.IsNullOrEmpty(secret))
        {
            // 503, not 404: Stripe keeps the event and retries, so nothing is lost while the operator sets the secret.
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Stripe webhook not configured",
                detail: "Stripe:WebhookSecret (env STRIPE_WEBHOOK_SECRET) is not set.");
        }

        // The signature covers the exact bytes Stripe sent: read them raw, never a re-serialised model.
        string json;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            json = await reader.ReadToEndAsync(cancellationToken);
        }

        Event stripeEvent;
        try
        {
            // throwOnApiVersionMismatch: false, because the endpoint's API version is chosen in Stripe's dashboard and
            // changes independently of this SDK's pinned version; the fields read here (session id, status,
            // metadata, client_reference_id, amount, payment_intent; a charge's amount_refunded) are stable across
            // versions. A mismatch must not turn paid sessions into rejected events.
            stripeEvent = EventUtility.ConstructEvent(json, request.Headers[SignatureHeader].ToString(), secret, ToleranceSeconds,
                throwOnApiVersionMismatch: false);
        }
        catch (StripeException ex)
        {
            loggers.CreateLogger(typeof(StripeWebhookApi)).LogWarning("Refused a Stripe webhook: {Reason}", ex.Message);
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid Stripe signature",
                detail: "The Stripe-Signature header is missing, does not match the body, or is older than 300 seconds.");
        }

        await fulfilment.HandleAsync(stripeEvent, cancellationToken);
        return TypedResults.Ok();
    }
}
