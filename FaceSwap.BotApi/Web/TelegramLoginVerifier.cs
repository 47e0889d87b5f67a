using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FaceSwap.BotApi.Web;

/// <summary>
/// Checks the Telegram Login Widget's data as Telegram specifies (core.telegram.org/widgets/login): the hex
/// HMAC-SHA-256 of the sorted <c>key=value</c> lines except <c>hash</c>, joined by <c>\n</c>, keyed with SHA-256 of
/// the bot token; and <c>auth_date</c> recent, so a leaked login link stops working.
/// </summary>
public static class TelegramLoginVerifier
{
    public static TelegramLoginCheck Verify(IReadOnlyDictionary<string, string> fields, string botToken, DateTimeOffset now, TimeSpan maxAge)
    {
        foreach (var required in new[] { "id", "first_name", "auth_date", "hash" })
        {
            if (!fields.TryGetValue(required, out var value) || string.IsNullOrEmpty(value))
            {
                return TelegramLoginCheck.Refused($"The Telegram login is missing the field '{required}'.");
            }
        }

        var expected = Sign(fields, botToken);
        var given = fields["hash"].ToLowerInvariant();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(given)))
        {
            return TelegramLoginCheck.Refused("The Telegram login's signature is wrong.");
        }

        if (!long.TryParse(fields["id"], NumberStyles.None, CultureInfo.InvariantCulture, out var userId) ||
            !long.TryParse(fields["auth_date"], NumberStyles.None, CultureInfo.InvariantCulture, out var authSeconds))
        {
            return TelegramLoginCheck.Refused("The Telegram login's id or auth_date is not a number.");
        }

        var authDate = DateTimeOffset.FromUnixTimeSeconds(authSeconds);
        // A little clock skew ahead is allowed; a date far in the future is as suspect as a stale one.
        if (now - authDate > maxAge || authDate - now > TimeSpan.FromMinutes(5))
        {
            return TelegramLoginCheck.Refused("The Telegram login has expired: please sign in again.");
        }

        return TelegramLoginCheck.Passed(new TelegramLogin(userId, fields["first_name"], fields.GetValueOrDefault("username"), authDate));
    }

    /// <summary>The widget's signature over every field but <c>hash</c>; the emulator's login stand-in signs the same way.</summary>
    public static string Sign(IReadOnlyDictionary<string, string> fields, string botToken)
    {
        var dataCheckString = string.Join('\n', fields.Where(f => f.Key != "hash").OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => f.Key + "=" + f.Value));
        var key = SHA256.HashData(Encoding.UTF8.GetBytes(botToken));
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(dataCheckString)));
    }
}
