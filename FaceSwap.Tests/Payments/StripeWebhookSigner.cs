using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FaceSwap.Tests.Payments;

/// <summary>Builds Checkout Session and charge events and signs them the way Stripe does (HMAC-SHA256 of "t.body").</summary>
public static class StripeWebhookSigner
{
    public const string Secret = "whsec_test_0123456789abcdef";

    public static string SessionEvent(string type, string sessionId, long userId, string packId = "small", int credits = 10,
        string paymentStatus = "paid", long amount = 199, string? paymentIntentId = null) =>
        Event(type, new Dictionary<string, object?>
        {
            ["id"] = sessionId,
            ["object"] = "checkout.session",
            ["mode"] = "payment",
            ["status"] = "complete",
            ["payment_status"] = paymentStatus,
            ["client_reference_id"] = userId.ToString(CultureInfo.InvariantCulture),
            ["metadata"] = new Dictionary<string, string>
            {
                ["user_id"] = userId.ToString(CultureInfo.InvariantCulture),
                ["pack_id"] = packId,
                ["credits"] = credits.ToString(CultureInfo.InvariantCulture),
            },
            ["amount_total"] = amount,
            ["currency"] = "eur",
            ["payment_intent"] = paymentIntentId,
            ["livemode"] = false,
        });

    /// <summary><c>charge.refunded</c>: Stripe sends the charge with the running total refunded so far.</summary>
    public static string ChargeRefundedEvent(string? paymentIntentId, long amount, long amountRefunded) =>
        Event("charge.refunded", new Dictionary<string, object?>
        {
            ["id"] = "ch_" + Guid.NewGuid().ToString("N"),
            ["object"] = "charge",
            ["amount"] = amount,
            ["amount_captured"] = amount,
            ["amount_refunded"] = amountRefunded,
            ["refunded"] = amountRefunded >= amount,
            ["captured"] = true,
            ["paid"] = true,
            ["status"] = "succeeded",
            ["currency"] = "eur",
            ["payment_intent"] = paymentIntentId,
            ["livemode"] = false,
        });

    /// <summary><c>charge.dispute.*</c>: the dispute names its charge and the charge's PaymentIntent.</summary>
    public static string DisputeEvent(string type, string disputeId, string paymentIntentId, long amount, string status = "needs_response") =>
        Event(type, new Dictionary<string, object?>
        {
            ["id"] = disputeId,
            ["object"] = "dispute",
            ["amount"] = amount,
            ["currency"] = "eur",
            ["charge"] = "ch_" + Guid.NewGuid().ToString("N"),
            ["payment_intent"] = paymentIntentId,
            ["reason"] = "fraudulent",
            ["status"] = status,
            ["evidence_details"] = new Dictionary<string, object?>
            {
                ["due_by"] = DateTimeOffset.UtcNow.AddDays(7).ToUnixTimeSeconds(),
                ["has_evidence"] = false,
                ["past_due"] = false,
                ["submission_count"] = 0,
            },
            ["livemode"] = false,
        });

    private static string Event(string type, Dictionary<string, object?> dataObject) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = "evt_" + Guid.NewGuid().ToString("N"),
            ["object"] = "event",
            // An API version other than Stripe.net's own: the endpoint's version is set in the dashboard.
            ["api_version"] = "2024-06-20",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["type"] = type,
            ["livemode"] = false,
            ["pending_webhooks"] = 1,
            ["request"] = new { id = (string?)null, idempotency_key = (string?)null },
            ["data"] = new Dictionary<string, object?> { ["object"] = dataObject },
        });

    public static string Sign(string json, DateTimeOffset? at = null, string secret = Secret)
    {
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{json}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(signature)}";
    }

    public static async Task<HttpResponseMessage> DeliverAsync(HttpClient botApi, string json, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/stripe/webhook")
        {
            Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        }

        return await botApi.SendAsync(request);
    }
}
