using System.Net;
using System.Net.Http.Json;
using System.Text;
using FaceSwap.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace FaceSwap.Tests.Operations;

/// <summary>HTTPS behind a TLS-terminating ingress, rate limits, body limits and ProblemDetails errors, outside Development.</summary>
public sealed class HttpHardeningTests
{
    [Fact]
    public async Task Https_redirection_respects_the_ingress_and_spares_the_probes_and_public_endpoints_are_rate_limited()
    {
        await using var host = await BotApiHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["https_port"] = "443",
            ["RateLimits:PublicPerMinute"] = "3",
        });
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };

        // Plain HTTP from a client: redirected to HTTPS.
        var plain = await noRedirects.GetAsync("/status");
        Assert.Equal(HttpStatusCode.TemporaryRedirect, plain.StatusCode);
        Assert.Equal("https", plain.Headers.Location?.Scheme);

        // The ingress terminated TLS and says so: served, no redirect loop.
        var viaIngress = new HttpRequestMessage(HttpMethod.Get, "/status");
        viaIngress.Headers.Add("X-Forwarded-Proto", "https");
        viaIngress.Headers.Add("X-Forwarded-For", "203.0.113.7");
        Assert.Equal(HttpStatusCode.OK, (await noRedirects.SendAsync(viaIngress)).StatusCode);

        // Probes call over plain HTTP inside the environment.
        Assert.Equal(HttpStatusCode.OK, (await noRedirects.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await noRedirects.GetAsync("/alive")).StatusCode);

        // Per client IP (as the ingress reports it): 203.0.113.7 has used one of its three.
        async Task<HttpStatusCode> StatusFrom(string ip)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/status");
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-For", ip);
            return (await noRedirects.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await StatusFrom("203.0.113.7"));
        Assert.Equal(HttpStatusCode.OK, await StatusFrom("203.0.113.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusFrom("203.0.113.7"));
        // A refusal says why, as every error does: ProblemDetails, and when to try again.
        var refused = new HttpRequestMessage(HttpMethod.Get, "/status");
        refused.Headers.Add("X-Forwarded-Proto", "https");
        refused.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using var refusal = await noRedirects.SendAsync(refused);
        Assert.Equal(HttpStatusCode.TooManyRequests, refusal.StatusCode);
        Assert.Equal("application/problem+json", refusal.Content.Headers.ContentType?.MediaType);
        var problem = await refusal.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.True(refusal.Headers.RetryAfter?.Delta > TimeSpan.Zero, "a 429 says when to come back");
        Assert.Equal(HttpStatusCode.OK, await StatusFrom("198.51.100.1"));

        // The webhook is not held to the public limit, and refuses bodies over 1 MB.
        var big = new HttpRequestMessage(HttpMethod.Post, "/telegram/webhook") { Content = new ByteArrayContent(new byte[2 * 1024 * 1024]) };
        big.Headers.Add("X-Forwarded-Proto", "https");
        big.Headers.Add("X-Forwarded-For", "203.0.113.7");
        big.Headers.Add("X-Telegram-Bot-Api-Secret-Token", BotApiHost.WebhookSecret);
        using var tooLarge = await noRedirects.SendAsync(big);
        await AssertProblemAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge);
    }

    /// <summary>Every error the bot API answers is ProblemDetails: the handlers' own, the framework's and an exception's.</summary>
    [Fact]
    public async Task Every_error_is_a_problem_details_body()
    {
        await using var host = await BotApiHost.StartAsync(services: services => services.AddSingleton<IStartupFilter, ThrowingPathFilter>());

        var notJson = new HttpRequestMessage(HttpMethod.Post, "/telegram/webhook") { Content = new StringContent("{not json", Encoding.UTF8, "application/json") };
        notJson.Headers.Add("X-Telegram-Bot-Api-Secret-Token", BotApiHost.WebhookSecret);
        using var badRequest = await host.Http.SendAsync(notJson);
        await AssertProblemAsync(badRequest, HttpStatusCode.BadRequest);

        using var notFound = await host.Http.GetAsync("/no-such-page");
        await AssertProblemAsync(notFound, HttpStatusCode.NotFound);

        using var failed = await host.Http.GetAsync(ThrowingPathFilter.Path);
        var problem = await AssertProblemAsync(failed, HttpStatusCode.InternalServerError);
        // Production: the exception's message stays in the logs, not in the answer.
        Assert.DoesNotContain(ThrowingPathFilter.Secret, problem.GetRawText(), StringComparison.Ordinal);
    }

    private static async Task<System.Text.Json.JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>A request to <see cref="Path"/> throws inside the app's pipeline, as a failing handler would.</summary>
    private sealed class ThrowingPathFilter : IStartupFilter
    {
        public const string Path = "/test/throws";
        public const string Secret = "internal-detail-7f3a";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            // After the app's middleware: reached by a request no endpoint took, inside the exception handler.
            app.Use((HttpContext context, RequestDelegate nextMiddleware) => context.Request.Path == Path
                ? throw new InvalidOperationException(Secret)
                : nextMiddleware(context));
        };
    }
}
