using System.Diagnostics.Metrics;
using FaceSwap.ContentSafety;
using FaceSwap.Contracts;
using FaceSwap.ServiceDefaults;

namespace FaceSwap.BotApi.Operations;

/// <summary>
/// Counts failed Telegram calls and 429s on the "telegram" HttpClient. Only the method name (the URL's last
/// segment) is recorded: the path before it contains the bot token.
/// </summary>
public sealed class TelegramMetricsHandler(FaceSwapMetrics metrics) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var method = MethodOf(request.RequestUri);
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                metrics.RecordTelegramError(method, (int)response.StatusCode);
            }

            return response;
        }
        catch (HttpRequestException)
        {
            metrics.RecordTelegramError(method, 0);
            throw;
        }
    }

    internal static string MethodOf(Uri? uri)
    {
        var path = uri?.AbsolutePath ?? "";
        // File downloads (/file/bot<token>/<path>) are not API methods.
        if (path.StartsWith("/file/", StringComparison.Ordinal))
        {
            return "file";
        }

        var slash = path.LastIndexOf('/');
        return slash >= 0 && slash < path.Length - 1 ? path[(slash + 1)..] : "unknown";
    }
}
