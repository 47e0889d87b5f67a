using FaceSwap.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The HTTP hardening every FaceSwap service shares: a request body limit, the client's scheme and address from the
/// ingress, HSTS and HTTPS outside Development, and every error answered as ProblemDetails (400, 404, 413, 429, 500).
/// A service's own policies (the bot API's rate limits) go after <see cref="UseHttpHardening"/>.
/// </summary>
public static class HttpHardeningExtensions
{
    public static TBuilder AddHttpHardening<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        services.AddValidatedOptions<HttpHardeningOptions>(HttpHardeningOptions.SectionName);
        services.AddProblemDetails();

        // Read through IOptions, so the values used are the validated ones (ValidateOnStart), not a second bind.
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<HttpHardeningOptions>>((kestrel, http) =>
            kestrel.Limits.MaxRequestBodySize = http.Value.MaxRequestBodyBytes);
        // A body over the limit throws BadHttpRequestException(413) while a handler reads it, an unreadable request
        // one with 400; answer those, not 500.
        services.Configure<ExceptionHandlerOptions>(options => options.StatusCodeSelector =
            exception => exception is Microsoft.AspNetCore.Http.BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError);

        // Container Apps terminates TLS at its ingress and forwards plain HTTP with X-Forwarded-Proto/-For; the ingress
        // address is not fixed, so no proxy list. ForwardLimit 1 takes only the value the ingress itself appended.
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Clear();
            options.ForwardLimit = 1;
        });
        services.AddOptions<HstsOptions>().Configure<IOptions<HttpHardeningOptions>>((hsts, http) => hsts.MaxAge = http.Value.HstsMaxAge);
        return builder;
    }

    /// <summary>
    /// The error handlers first, so every error after them is ProblemDetails: an exception (500, or the 400/413 of an
    /// unreadable or oversized body), and any empty error response — a 404, a rate limiter's 429 — through the status
    /// code pages. Then forwarded headers (everything after sees the client's scheme and address), then HTTPS outside
    /// Development, sparing the probes, which call the health endpoints over plain HTTP inside the environment.
    /// </summary>
    public static WebApplication UseHttpHardening(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
            app.UseWhen(context => !context.Request.Path.StartsWithSegments("/health") && !context.Request.Path.StartsWithSegments("/alive"),
                branch => branch.UseHttpsRedirection());
        }

        return app;
    }
}
