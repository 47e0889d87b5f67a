using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FaceSwap.BotApi.Conversation;
using FaceSwap.BotApi.Credits;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Web;
using FaceSwap.Tests.Emulator;
using FaceSwap.Tests.Engine;
using FaceSwap.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FaceSwap.Tests.Web;

/// <summary>
/// The web app's sign-in and API on a real bot API (Production settings: Secure cookies), the emulator's login stand-in
/// and real Redis: what is refused, in which words, and a web swap taking the chat's queue and credit.
/// </summary>
public sealed class WebApiTests
{
    [Fact]
    public async Task Signing_in_through_the_emulator_login_gives_the_chat_user_a_secure_http_only_session()
    {
        await using var host = await BotApiHost.StartAsync();
        using var web = new WebSession(host);

        var back = await web.SignInAsync(1001, "Ann");

        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal("/web/", back.Headers.Location!.OriginalString);
        var session = Assert.Single(web.SignInCookies, c => c.StartsWith("faceswap-web=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("; secure", session);
        Assert.Contains("; httponly", session);
        Assert.Contains("; samesite=lax", session);

        var me = await (await web.GetAsync("/web/api/me")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1001, me.GetProperty("userId").GetInt64());
        Assert.Equal("Ann", me.GetProperty("firstName").GetString());
        Assert.False(me.GetProperty("termsAccepted").GetBoolean());
        // The chat's user: the same row, with the chat's welcome credits.
        var balance = await host.WithServiceAsync<CreditLedger, int>(ledger => ledger.BalanceAsync(1001, CancellationToken.None));
        Assert.Equal(balance, me.GetProperty("balance").GetInt32());
        Assert.True(await host.WithDatabaseAsync(db => db.Users.AnyAsync(u => u.Id == 1001 && u.ChatId == 1001)));
    }

    public static TheoryData<string, string> BadLogins => new()
    {
        { "wrong signature", "The Telegram login's signature is wrong." },
        { "missing field", "The Telegram login is missing the field 'auth_date'." },
        { "stale auth_date", "The Telegram login has expired: please sign in again." },
    };

    [Theory]
    [MemberData(nameof(BadLogins))]
    public async Task A_bad_login_is_refused_with_a_problem_and_no_session(string bad, string detail)
    {
        // The bot API's clock is a day and a minute ahead for the stale case: the check is on its TimeProvider.
        var clock = new ShiftedTimeProvider();
        await using var host = await BotApiHost.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        using var web = new WebSession(host);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["id"] = "1002",
            ["first_name"] = "Boris",
            ["auth_date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        };
        fields["hash"] = TelegramLoginVerifier.Sign(fields, EmulatorHost.Token);
        switch (bad)
        {
            case "wrong signature":
                fields["first_name"] = "Mallory";
                break;
            case "missing field":
                fields.Remove("auth_date");
                break;
            default:
                clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
                break;
        }

        var response = await web.GetAsync("/web/auth/telegram?" + string.Join('&', fields.Select(f => f.Key + "=" + Uri.EscapeDataString(f.Value))));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Sign-in refused", problem.GetProperty("title").GetString());
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
        Assert.DoesNotContain(web.SignInCookies, c => c.StartsWith("faceswap-web=", StringComparison.Ordinal));
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await web.GetAsync("/web/api/me")).StatusCode);
        Assert.False(await host.WithDatabaseAsync(db => db.Users.AnyAsync(u => u.Id == 1002)));
    }

    [Fact]
    public async Task A_state_changing_request_without_the_right_csrf_header_is_refused()
    {
        await using var host = await BotApiHost.StartAsync();
        using var web = new WebSession(host);
        await web.SignInAsync(1003, "Carla");
        var token = await web.CsrfTokenAsync();
        var version = (await (await web.GetAsync("/web/api/me")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("termsVersion").GetString();

        foreach (var badToken in new[] { null, "not-the-token", token[..^4] + "AAAA" })
        {
            var refused = await web.PostAsync("/web/api/terms", JsonContent.Create(new { version }), badToken);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Equal("Missing or invalid CSRF token", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        }

        Assert.Null(await host.WithDatabaseAsync(db => db.Users.Where(u => u.Id == 1003).Select(u => u.TermsVersion).SingleAsync()));

        var accepted = await web.PostAsync("/web/api/terms", JsonContent.Create(new { version }), token);

        Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);
        Assert.Equal(version, await host.WithDatabaseAsync(db => db.Users.Where(u => u.Id == 1003).Select(u => u.TermsVersion).SingleAsync()));
        Assert.True((await (await web.GetAsync("/web/api/me")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("termsAccepted").GetBoolean());
    }

    [Fact]
    public async Task Uploads_are_refused_when_too_large_or_not_an_image_and_a_good_pair_is_queued_as_a_web_job()
    {
        await using var host = await BotApiHost.StartAsync(settings: new Dictionary<string, string?> { ["Web:MaxUploadBytes"] = "1048576" });
        using var web = new WebSession(host);
        await web.SignInAsync(1004, "Dana");
        var token = await web.CsrfTokenAsync();
        var version = (await (await web.GetAsync("/web/api/me")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("termsVersion").GetString();

        // No photo before the terms: the same rule as the chat's.
        var beforeTerms = await web.PostAsync("/web/api/swaps", Photos(TestImages.GraceHopper, TestImages.Astronaut), token);
        Assert.Equal(HttpStatusCode.Forbidden, beforeTerms.StatusCode);
        Assert.Equal("Terms not accepted", (await beforeTerms.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await web.PostAsync("/web/api/terms", JsonContent.Create(new { version }), token)).StatusCode);

        var tooLarge = await web.PostAsync("/web/api/swaps", Photos(TestImages.GraceHopper, new byte[1_200_000]), token);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        var tooLargeProblem = await tooLarge.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Upload too large", tooLargeProblem.GetProperty("title").GetString());
        Assert.Equal("The photos are larger than 1 MB together. Please send smaller photos.", tooLargeProblem.GetProperty("detail").GetString());

        var notImage = await web.PostAsync("/web/api/swaps", Photos(Encoding.UTF8.GetBytes("hello, I am no JPEG"), TestImages.Astronaut), token);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notImage.StatusCode);
        // The chat's own words for the same file (PhotoIntakeTests sees them in the chat).
        var reason = (await notImage.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Equal(new BotTexts("en")["NotAnImage"], reason);
        Assert.StartsWith("That file is not an image", reason);
        var balanceBefore = await host.WithServiceAsync<CreditLedger, int>(ledger => ledger.BalanceAsync(1004, CancellationToken.None));

        var started = await web.PostAsync("/web/api/swaps", Photos(TestImages.GraceHopper, TestImages.Astronaut), token);

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var jobId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var job = await host.WithDatabaseAsync(db => db.Jobs.AsNoTracking().SingleAsync(j => j.UserId == 1004));
        Assert.Equal(jobId, job.Id);
        Assert.Equal(JobOrigin.Web, job.Origin);
        Assert.Equal(balanceBefore - 1, await host.WithServiceAsync<CreditLedger, int>(ledger => ledger.BalanceAsync(1004, CancellationToken.None)));
        var view = await (await web.GetAsync($"/web/api/swaps/{jobId}")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(jobId, view.GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("resultUrl").ValueKind);
        // Someone else's swap is not found, even by its id.
        using var other = new WebSession(host);
        await other.SignInAsync(1005, "Eve");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/web/api/swaps/{jobId}")).StatusCode);
    }

    [Fact]
    public async Task The_web_api_is_rate_limited_per_account()
    {
        await using var host = await BotApiHost.StartAsync(settings: new Dictionary<string, string?> { ["Web:AccountRequestsPerMinute"] = "3" });
        using var ann = new WebSession(host);
        using var boris = new WebSession(host);
        await ann.SignInAsync(1006, "Ann");
        await boris.SignInAsync(1007, "Boris");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await ann.GetAsync("/web/api/me")).StatusCode);
        }

        var limited = await ann.GetAsync("/web/api/me");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.True(limited.Headers.Contains("Retry-After"));
        // Another account from the same address has its own allowance.
        Assert.Equal(HttpStatusCode.OK, (await boris.GetAsync("/web/api/me")).StatusCode);
    }

    [Fact]
    public async Task Every_web_request_from_one_address_counts_against_its_limit_whoever_is_signed_in()
    {
        await using var host = await BotApiHost.StartAsync(settings: new Dictionary<string, string?> { ["Web:IpRequestsPerMinute"] = "4" });
        using var carla = new WebSession(host);
        await carla.SignInAsync(1008, "Carla"); // two requests: to the login page and back

        Assert.Equal(HttpStatusCode.OK, (await carla.GetAsync("/web/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await carla.GetAsync("/web/api/me")).StatusCode);
        var limited = await carla.GetAsync("/web/api/me");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        // The pages and the sign-in too, and for anyone at that address; the rest of the bot API is not the web's to limit.
        using var stranger = new WebSession(host);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await stranger.GetAsync("/web/")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await stranger.GetAsync("/web/auth/login")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await stranger.GetAsync("/alive")).StatusCode);
    }

    private static MultipartFormDataContent Photos(byte[] face, byte[] target) => new()
    {
        { new ByteArrayContent(face), "face", "face.jpg" },
        { new ByteArrayContent(target), "target", "target.png" },
    };
}
