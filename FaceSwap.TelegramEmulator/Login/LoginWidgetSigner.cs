using System.Security.Cryptography;
using System.Text;

namespace FaceSwap.TelegramEmulator.Login;

/// <summary>
/// Signs login fields as Telegram's login widget does (core.telegram.org/widgets/login#checking-authorization): the hex
/// HMAC-SHA-256 of the sorted <c>key=value</c> lines joined by <c>\n</c>, keyed with SHA-256 of the bot token.
/// </summary>
public static class LoginWidgetSigner
{
    public static string Sign(IEnumerable<KeyValuePair<string, string>> fields, string botToken)
    {
        var dataCheckString = string.Join('\n', fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Key + "=" + f.Value));
        var key = SHA256.HashData(Encoding.UTF8.GetBytes(botToken));
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(dataCheckString)));
    }
}
