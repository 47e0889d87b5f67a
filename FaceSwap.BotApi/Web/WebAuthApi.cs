using System.Security.Claims;
using FaceSwap.BotApi.Conversation;
using FaceSwap.BotApi.Telegram;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Web;

/// <summary>
/// <c>GET /web/auth/telegram?id=..&amp;first_name=..&amp;auth_date=..&amp;hash=..</c>: where <c>/web/signin.html</c> hands on the
/// fields Telegram's login page (or the emulator's stand-in) sent back in the URL's fragment. The fields are checked (<see cref="TelegramLoginVerifier"/>), the user is the
/// chat's own (BotUser by Telegram id, welcome credits on the first visit), and the session cookie is set.
/// <c>GET /web/auth/login</c> starts the sign-in; <c>POST /web/auth/signout</c> ends it.
/// </summary>
public static class WebAuthApi
{
    public static RouteGroupBuilder MapWebAuthApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/web/auth").WithTags("Web");
        group.MapGet("/login", Login);
        group.MapGet("/telegram", SignInAsync);
        // Cast: a handler of HttpContext alone would bind as a RequestDelegate and drop its result.
        group.MapPost("/signout", (Delegate)SignOutAsync).AddEndpointFilter<WebAntiforgeryFilter>().RequireAuthorization();
        return group;
    }

    /// <summary>To the login page, with the bot's id and the way back here.</summary>
    public static RedirectHttpResult Login(HttpContext context, IOptions<WebOptions> web, IOptions<TelegramOptions> telegram)
    {
        var botId = telegram.Value.BotToken.Split(':')[0];
        // A page, not /web/auth/telegram itself: Telegram returns the signed fields in the URL's fragment, which only the
        // page's script can read and hand on.
        var returnTo = $"{context.Request.Scheme}://{context.Request.Host}/web/signin.html";
        var origin = $"{context.Request.Scheme}://{context.Request.Host}";
        var separator = web.Value.LoginUrl.Query.Length > 0 ? "&" : "?";
        return TypedResults.Redirect($"{web.Value.LoginUrl}{separator}bot_id={Uri.EscapeDataString(botId)}&origin={Uri.EscapeDataString(origin)}" +
                                     $"&request_access=write&return_to={Uri.EscapeDataString(returnTo)}");
    }

    public static async Task<Results<RedirectHttpResult, ProblemHttpResult>> SignInAsync(HttpContext context, UserDirectory users,
        IOptions<WebOptions> web, IOptions<TelegramOptions> telegram, TimeProvider time, CancellationToken cancellationToken)
    {
        var fields = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        var check = TelegramLoginVerifier.Verify(fields, telegram.Value.BotToken, time.GetUtcNow(), web.Value.LoginMaxAge);
        if (check.Login is not { } login)
        {
            return TypedResults.Problem(title: "Sign-in refused", detail: check.Refusal, statusCode: StatusCodes.Status401Unauthorized);
        }

        // The private chat with a user has the user's id, so the web user is the chat's user and their results can go there.
        var (user, _) = await users.GetOrCreateAsync(new global::Telegram.Bot.Types.User { Id = login.UserId, FirstName = login.FirstName,
            Username = login.Username }, login.UserId, cancellationToken);
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, login.FirstName)], WebExtensions.AuthenticationScheme);
        await context.SignInAsync(WebExtensions.AuthenticationScheme, new ClaimsPrincipal(identity));
        return TypedResults.Redirect("/web/");
    }

    public static async Task<NoContent> SignOutAsync(HttpContext context)
    {
        await context.SignOutAsync(WebExtensions.AuthenticationScheme);
        return TypedResults.NoContent();
    }
}
