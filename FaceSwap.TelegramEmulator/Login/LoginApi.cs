using System.Globalization;
using System.Net;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using FaceSwap.TelegramEmulator.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FaceSwap.TelegramEmulator.Login;

/// <summary>
/// A stand-in of Telegram's login page (oauth.telegram.org/auth) so "Sign in with Telegram" works locally with no token:
/// <c>GET /login?bot_id=..&amp;return_to=..</c> lists test users; picking one (<c>GET /login/confirm</c>) sends the browser
/// back to <c>return_to</c> with <c>id, first_name, username, auth_date, hash</c> signed with the emulator's bot token,
/// in the URL's fragment (<c>#tgAuthResult=</c>, base64url JSON) exactly as Telegram does.
/// </summary>
public static class LoginApi
{
    /// <summary>The chat page's users, so a web sign-in is the same person as in the emulated chat.</summary>
    private static readonly (long Id, string FirstName)[] TestUsers = [(1001, "Ann"), (1002, "Boris"), (1003, "Carla")];

    public static IEndpointRouteBuilder MapLoginApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/login").WithTags("Login");
        group.MapGet("", Page);
        group.MapGet("/confirm", Confirm);
        return routes;
    }

    public static Results<ContentHttpResult, ProblemHttpResult> Page([FromQuery(Name = "bot_id")] string? botId, [FromQuery(Name = "return_to")] string? returnTo, IOptions<EmulatorOptions> options)
    {
        if (Refusal(botId, returnTo, options.Value) is { } refused)
        {
            return refused;
        }

        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>Log in to ").Append(WebUtility.HtmlEncode(options.Value.BotFirstName)).Append(" (emulator)</title>")
            .Append("<link rel=\"stylesheet\" href=\"/login.css\"></head><body><main><h1>Telegram login (emulator)</h1>")
            .Append("<p><b>").Append(WebUtility.HtmlEncode(options.Value.BotFirstName)).Append("</b> wants to know who you are. Pick a test user:</p><ul>");
        foreach (var (id, firstName) in TestUsers)
        {
            html.Append("<li><a class=\"user\" data-user=\"").Append(id).Append("\" href=\"")
                .Append(WebUtility.HtmlEncode(ConfirmUrl(botId!, returnTo!, id, firstName))).Append("\">")
                .Append(WebUtility.HtmlEncode(firstName)).Append(" (").Append(id).Append(")</a></li>");
        }

        html.Append("</ul><form method=\"get\" action=\"/login/confirm\"><input type=\"hidden\" name=\"bot_id\" value=\"").Append(WebUtility.HtmlEncode(botId))
            .Append("\"><input type=\"hidden\" name=\"return_to\" value=\"").Append(WebUtility.HtmlEncode(returnTo))
            .Append("\"><label>Any id <input name=\"id\" inputmode=\"numeric\" pattern=\"[0-9]+\" required></label> ")
            .Append("<label>Name <input name=\"first_name\" required value=\"Tester\"></label> <button>Log in</button></form></main></body></html>");
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8");
    }

    /// <summary>The signed fields, to <c>return_to</c>; <c>auth_date</c> is now on the emulator's clock.</summary>
    public static Results<RedirectHttpResult, ProblemHttpResult> Confirm([FromQuery(Name = "bot_id")] string? botId, [FromQuery(Name = "return_to")] string? returnTo, long? id,
        [FromQuery(Name = "first_name")] string? firstName,
        IOptions<EmulatorOptions> options, ChatStore chats, TimeProvider time)
    {
        if (Refusal(botId, returnTo, options.Value) is { } refused)
        {
            return refused;
        }

        if (id is not > 0 || string.IsNullOrWhiteSpace(firstName))
        {
            return TypedResults.Problem(title: "Pick a user", detail: "id (a positive number) and first_name are required.", statusCode: StatusCodes.Status400BadRequest);
        }

        // The bot API's login asks for write access, so its "send to my chat" reaches a user who never wrote to the bot.
        chats.AllowBotToWrite(id.Value, firstName);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["id"] = id.Value.ToString(CultureInfo.InvariantCulture),
            ["first_name"] = firstName,
            ["username"] = "user" + id.Value.ToString(CultureInfo.InvariantCulture),
            ["auth_date"] = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        };
        fields["hash"] = LoginWidgetSigner.Sign(fields, options.Value.BotToken);
        // As oauth.telegram.org does: the fields as JSON (id and auth_date numbers), base64url, in the fragment.
        var result = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["id"] = id.Value,
            ["first_name"] = firstName,
            ["username"] = fields["username"],
            ["auth_date"] = long.Parse(fields["auth_date"], CultureInfo.InvariantCulture),
            ["hash"] = fields["hash"],
        };
        var encoded = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(result));
        return TypedResults.Redirect(returnTo + "#tgAuthResult=" + encoded);
    }

    private static string ConfirmUrl(string botId, string returnTo, long id, string firstName) =>
        $"/login/confirm?bot_id={Uri.EscapeDataString(botId)}&return_to={Uri.EscapeDataString(returnTo)}&id={id}&first_name={Uri.EscapeDataString(firstName)}";

    /// <summary>Telegram refuses a login for another bot, or one that would go back anywhere but an http(s) page.</summary>
    private static ProblemHttpResult? Refusal(string? botId, string? returnTo, EmulatorOptions options)
    {
        if (botId != options.BotToken.Split(':')[0])
        {
            return TypedResults.Problem(title: "Bot domain invalid", detail: "bot_id is not this emulator's bot.", statusCode: StatusCodes.Status400BadRequest);
        }

        return Uri.TryCreate(returnTo, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? null
            : TypedResults.Problem(title: "Bad return_to", detail: "return_to must be an absolute http(s) URL.", statusCode: StatusCodes.Status400BadRequest);
    }
}
