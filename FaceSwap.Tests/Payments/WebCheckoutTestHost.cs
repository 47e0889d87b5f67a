using System.Security.Claims;
using System.Text.Encodings.Web;
using FaceSwap.BotApi.Web.Payments;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceSwap.Tests.Payments;

/// <summary>
/// TEST ONLY. Puts a <c>/web/api</c> group, authenticated under the web app's scheme <see cref="Scheme"/>, in front of
/// the bot API and maps <see cref="WebPaymentsApi.MapWebPayments"/> on it, as the web app maps it. The scheme's handler
/// here signs a request in as the Telegram user named in the <see cref="UserHeader"/> header (no header: not signed in);
/// the web app's own sign-in (Telegram Login) and antiforgery check are not this test's subject.
/// </summary>
public static class WebCheckoutTestHost
{
    public const string Scheme = "FaceSwapWeb";
    public const string UserHeader = "X-Test-User";

    /// <summary>Pass to <c>BotApiHost.StartAsync(services: ...)</c>.</summary>
    public static void AddSignedInWebApi(IServiceCollection services)
    {
        services.AddAuthentication();
        services.AddAuthorization();
        // Replaces the web app's own handler of the scheme when the bot API registers one, so the tests sign in alike.
        services.Configure<AuthenticationOptions>(options =>
        {
            if (options.SchemeMap.TryGetValue(Scheme, out var scheme))
            {
                scheme.HandlerType = typeof(HeaderSignInHandler);
            }
            else
            {
                options.AddScheme<HeaderSignInHandler>(Scheme, Scheme);
            }
        });
        services.AddSingleton<IStartupFilter, WebApiFilter>();
    }

    private sealed class WebApiFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            // Its own routing branch in front of the bot API's pipeline, which Program.cs builds: the branch matches
            // only its own endpoints, and a request it does not match goes on to the app's routes.
            app.UseWhen(context => context.Request.Path.StartsWithSegments("/web/api"), web =>
            {
                web.UseRouting();
                web.UseAuthentication();
                web.UseAuthorization();
                web.UseEndpoints(endpoints => endpoints.MapGroup("/web/api")
                    .RequireAuthorization(policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser())
                    .MapWebPayments());
            });
            next(app);
        };
    }

    private sealed class HeaderSignInHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var user = Request.Headers[UserHeader].ToString();
            if (user.Length == 0)
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user), new Claim(ClaimTypes.GivenName, "Web Tester")], Scheme.Name);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
        }
    }
}
