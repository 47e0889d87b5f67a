using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Names the HTTP client spans of Bot API calls after the method (<c>telegram sendPhoto</c>) instead of the verb
/// (<c>POST</c>): every Bot API call is a POST, so the verb says nothing of what the bot did.
/// </summary>
public static partial class TelegramSpanName
{
    public const string MethodTag = "telegram.method";

    // Telegram.Bot calls {base}/bot{token}/{method} and downloads {base}/file/bot{token}/{path}.
    [GeneratedRegex(@"/(?<file>file/)?bot\d+:[A-Za-z0-9_-]+/(?<method>[A-Za-z]+)?", RegexOptions.CultureInvariant)]
    private static partial Regex BotApiPath();

    /// <summary>The span's name for a request to the Bot API, or null for any other request.</summary>
    public static string? Of(Uri? requestUri)
    {
        if (requestUri is null || BotApiPath().Match(requestUri.AbsolutePath) is not { Success: true } match)
        {
            return null;
        }

        return match.Groups["file"].Success ? "telegram file download" : "telegram " + match.Groups["method"].Value;
    }

    internal static void Apply(Activity activity, HttpRequestMessage request)
    {
        if (Of(request.RequestUri) is { } name)
        {
            activity.DisplayName = name;
            activity.SetTag(MethodTag, name["telegram ".Length..]);
        }
    }
}
