using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FaceSwap.Tests.Payments;

/// <summary>
/// A local stand-in for the one Stripe API call the bot makes: <c>POST /v1/checkout/sessions</c> answers a session
/// that echoes the request's user, metadata and amount, and records each request for the test to inspect.
/// </summary>
public sealed class FakeStripeApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeStripeApi(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The form fields of each session request, plus <c>authorization</c>, in arrival order.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> SessionRequests { get; } = new();

    /// <summary>Answer the next session requests with this HTTP status and a Stripe error body (e.g. 402, 500).</summary>
    public int? FailWith { get; set; }

    public static async Task<FakeStripeApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeStripeApi? fake = null;
        app.MapPost("/v1/checkout/sessions", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var fields = form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
            fields["authorization"] = request.Headers.Authorization.ToString();
            fake!.SessionRequests.Enqueue(fields);
            if (fake.FailWith is { } status)
            {
                return Results.Json(new { error = new { type = "api_error", message = "The fake Stripe API was told to fail." } }, statusCode: status);
            }

            var id = "cs_test_" + Guid.NewGuid().ToString("N");
            var metadata = fields.Where(f => f.Key.StartsWith("metadata[", StringComparison.Ordinal))
                .ToDictionary(f => f.Key["metadata[".Length..^1], f => f.Value);
            return Results.Json(new Dictionary<string, object?>
            {
                ["id"] = id,
                ["object"] = "checkout.session",
                ["url"] = $"https://checkout.stripe.com/c/pay/{id}",
                ["mode"] = fields.GetValueOrDefault("mode"),
                ["status"] = "open",
                ["payment_status"] = "unpaid",
                ["client_reference_id"] = fields.GetValueOrDefault("client_reference_id"),
                ["metadata"] = metadata,
                ["amount_total"] = long.Parse(fields.GetValueOrDefault("line_items[0][price_data][unit_amount]") ?? "0", System.Globalization.CultureInfo.InvariantCulture),
                ["currency"] = fields.GetValueOrDefault("line_items[0][price_data][currency]"),
                ["success_url"] = fields.GetValueOrDefault("success_url"),
                ["cancel_url"] = fields.GetValueOrDefault("cancel_url"),
                ["livemode"] = false,
            });
        });
        await app.StartAsync();
        fake = new FakeStripeApi(app, new Uri(app.Urls.First()));
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
