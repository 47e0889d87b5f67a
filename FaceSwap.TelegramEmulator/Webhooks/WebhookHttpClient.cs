namespace FaceSwap.TelegramEmulator.Webhooks;

/// <summary>
/// A plain HttpClient for webhook calls. Not from IHttpClientFactory: the service defaults add a
/// resilience handler to every factory client, and its own retries would hide the emulator's
/// Telegram-like retry schedule and error reporting.
/// </summary>
public sealed class WebhookHttpClient : IDisposable
{
    public HttpClient Client { get; } = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false, // Telegram does not follow redirects for webhooks.
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan, // The per-request timeout comes from EmulatorOptions.
    };

    public void Dispose() => Client.Dispose();
}
