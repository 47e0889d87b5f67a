using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Web;

/// <summary>The web app: Telegram sign-in, a session cookie, antiforgery, its own rate limits and its pages' CSP.</summary>
public static class WebExtensions
{
    public const string AuthenticationScheme = "FaceSwapWeb";
    public const string CsrfHeaderName = "X-CSRF-TOKEN";
    public const string AccountRateLimit = "web-account";

    /// <summary>No inline script or style, nothing from another origin; images also from blob: (the picked photo's preview).</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' blob:; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    public static IHostApplicationBuilder AddWeb(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var development = builder.Environment.IsDevelopment();
        services.AddValidatedOptions<WebOptions>(WebOptions.SectionName);
        services.AddScoped<WebSwaps>();
        services.AddAuthentication(AuthenticationScheme).AddCookie(AuthenticationScheme, _ => { });
        services.AddOptions<CookieAuthenticationOptions>(AuthenticationScheme).Configure<IOptions<WebOptions>>((cookie, web) =>
        {
            cookie.Cookie.Name = "faceswap-web";
            cookie.Cookie.HttpOnly = true;
            // Lax, not Strict: the sign-in arrives as a top-level navigation from Telegram's (or the emulator's) login page.
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            cookie.ExpireTimeSpan = web.Value.SessionLifetime;
            cookie.SlidingExpiration = true;
            // An API call without a session is a 401 ProblemDetails (the status code pages write it), not a redirect.
            cookie.Events.OnRedirectToLogin = context => Status(context.Response, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => Status(context.Response, StatusCodes.Status403Forbidden);
        });
        services.AddAuthorization();
        services.AddAntiforgery(options =>
        {
            options.HeaderName = CsrfHeaderName;
            // The header only: reading a multipart body for a token field would come before the upload's own size check.
            options.SuppressReadingTokenFromFormBody = true;
            options.Cookie.Name = "faceswap-csrf";
            options.Cookie.SameSite = SameSiteMode.Strict;
            // As the request: Always would make antiforgery throw on plain HTTP, and behind the ingress requests are HTTPS
            // (forwarded headers), so it is Secure there. The cookie alone grants nothing; the header token is the check.
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

        // Added to the bot API's rate limiter (Operations): every /web request per client address, and /web/api per account.
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<WebOptions>>((limiter, web) =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.Request.Path.StartsWithSegments("/web")
                    ? RateLimitPartition.GetFixedWindowLimiter("ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = web.Value.IpRequestsPerMinute, Window = TimeSpan.FromMinutes(1) })
                    : RateLimitPartition.GetNoLimiter(""));
            limiter.AddPolicy(AccountRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                "account:" + (context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous"),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = web.Value.AccountRequestsPerMinute, Window = TimeSpan.FromMinutes(1) }));
        });
        return builder;
    }

    /// <summary>Before the rate limiter: reads the session cookie, so <see cref="AccountRateLimit"/> partitions by account.</summary>
    public static WebApplication UseWebSessions(this WebApplication app)
    {
        app.UseAuthentication();
        return app;
    }

    /// <summary>After the rate limiter: authorization, then the CSP on every /web page and file.</summary>
    public static WebApplication UseWeb(this WebApplication app)
    {
        app.UseAuthorization();
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/web"), branch => branch.Use(async (context, next) =>
        {
            context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers.XFrameOptions = "DENY";
            context.Response.Headers["Referrer-Policy"] = "same-origin";
            await next(context);
        }));
        // /web/ serves /web/index.html; the files are plain HTML, CSS and JS in wwwroot/web (no build step).
        app.UseDefaultFiles();
        app.UseStaticFiles();
        return app;
    }

    private static Task Status(HttpResponse response, int statusCode)
    {
        response.StatusCode = statusCode;
        return Task.CompletedTask;
    }
}
