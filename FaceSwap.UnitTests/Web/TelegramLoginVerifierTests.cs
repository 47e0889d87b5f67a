using System.Globalization;
using FaceSwap.BotApi.Web;
using Microsoft.Extensions.Time.Testing;

namespace FaceSwap.UnitTests.Web;

/// <summary>The Telegram Login Widget check, against Telegram's rule and a clock the test moves.</summary>
public sealed class TelegramLoginVerifierTests
{
    private const string BotToken = "123456789:emulator-local-token-0000000000000";
    private static readonly TimeSpan MaxAge = TimeSpan.FromDays(1);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));

    private Dictionary<string, string> SignedLogin(DateTimeOffset? authDate = null)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["id"] = "1001",
            ["first_name"] = "Ann",
            ["username"] = "ann",
            ["auth_date"] = (authDate ?? _time.GetUtcNow()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        };
        fields["hash"] = TelegramLoginVerifier.Sign(fields, BotToken);
        return fields;
    }

    [Fact]
    public void The_signature_is_telegrams_hmac_of_the_sorted_lines_keyed_with_the_sha256_of_the_token()
    {
        // Worked out outside .NET (Python's hmac): key = SHA-256 of the token, over
        // "auth_date=1796299200\nfirst_name=Ann\nid=1001\nusername=ann" (sorted by key, hash left out).
        const string expected = "45fe52c982b60c0ceefb85285b0bb2524841cd3082abb8f02a68760814cdee0d";

        Assert.Equal(expected, SignedLogin()["hash"]);
    }

    [Fact]
    public void A_correctly_signed_fresh_login_passes()
    {
        var check = TelegramLoginVerifier.Verify(SignedLogin(), BotToken, _time.GetUtcNow(), MaxAge);

        Assert.Null(check.Refusal);
        Assert.Equal(new TelegramLogin(1001, "Ann", "ann", _time.GetUtcNow()), check.Login);
    }

    [Fact]
    public void A_changed_field_or_another_bots_signature_is_refused()
    {
        var changed = SignedLogin();
        changed["id"] = "1002";
        var otherBot = SignedLogin();
        otherBot["hash"] = TelegramLoginVerifier.Sign(otherBot, "987654321:another-bot-token-000000000");

        Assert.Equal("The Telegram login's signature is wrong.", TelegramLoginVerifier.Verify(changed, BotToken, _time.GetUtcNow(), MaxAge).Refusal);
        Assert.Equal("The Telegram login's signature is wrong.", TelegramLoginVerifier.Verify(otherBot, BotToken, _time.GetUtcNow(), MaxAge).Refusal);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("first_name")]
    [InlineData("auth_date")]
    [InlineData("hash")]
    public void A_missing_field_is_refused_by_name(string field)
    {
        var fields = SignedLogin();
        fields.Remove(field);

        var check = TelegramLoginVerifier.Verify(fields, BotToken, _time.GetUtcNow(), MaxAge);

        Assert.Null(check.Login);
        Assert.Equal($"The Telegram login is missing the field '{field}'.", check.Refusal);
    }

    [Fact]
    public void A_login_older_than_the_max_age_is_refused_on_the_clock()
    {
        var login = SignedLogin();
        _time.Advance(MaxAge);
        Assert.NotNull(TelegramLoginVerifier.Verify(login, BotToken, _time.GetUtcNow(), MaxAge).Login);

        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("The Telegram login has expired: please sign in again.", TelegramLoginVerifier.Verify(login, BotToken, _time.GetUtcNow(), MaxAge).Refusal);
    }

    [Fact]
    public void A_login_dated_in_the_future_beyond_clock_skew_is_refused()
    {
        var login = SignedLogin(_time.GetUtcNow() + TimeSpan.FromMinutes(6));

        Assert.Equal("The Telegram login has expired: please sign in again.", TelegramLoginVerifier.Verify(login, BotToken, _time.GetUtcNow(), MaxAge).Refusal);
    }
}
