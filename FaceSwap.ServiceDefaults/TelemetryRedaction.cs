using System.Diagnostics;
using System.Text.RegularExpressions;
using OpenTelemetry;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Removes secrets from URLs before spans are exported: Telegram.Bot puts the bot token in the path
/// (<c>/bot123:ABC/sendMessage</c>, <c>/file/bot123:ABC/photos/x.jpg</c>) and signed media URLs carry a signature.
/// </summary>
public static partial class TelemetryRedaction
{
    public const string Redacted = "REDACTED";

    [GeneratedRegex(@"/bot\d+:[A-Za-z0-9_-]+", RegexOptions.CultureInvariant)]
    private static partial Regex BotToken();

    [GeneratedRegex(@"([?&](?:sig|token|key|secret)=)[^&#]*", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SecretQuery();

    public static string Redact(string url) => SecretQuery().Replace(BotToken().Replace(url, "/bot" + Redacted), "$1" + Redacted);

    private static readonly string[] UrlTags = ["url.full", "http.url", "url.path", "url.query", "server.address"];

    internal static void RedactTags(Activity activity)
    {
        foreach (var tag in UrlTags)
        {
            if (activity.GetTagItem(tag) is string value)
            {
                var redacted = Redact(value);
                if (!ReferenceEquals(redacted, value) && redacted != value)
                {
                    activity.SetTag(tag, redacted);
                }
            }
        }

        if (activity.DisplayName.Contains("/bot", StringComparison.Ordinal))
        {
            activity.DisplayName = Redact(activity.DisplayName);
        }
    }
}
