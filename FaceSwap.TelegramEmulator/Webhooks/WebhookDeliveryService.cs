using System.Net.Http.Headers;
using System.Text.Json;
using FaceSwap.TelegramEmulator.Infrastructure;
using Microsoft.Extensions.Options;

namespace FaceSwap.TelegramEmulator.Webhooks;

/// <summary>
/// Posts pending updates to the webhook one at a time, in update order, as Telegram does for a bot
/// with one connection. Any non-2xx answer or network error is a failure: the same update is retried
/// with backoff (see <see cref="UpdateQueue.WebhookFailed"/>).
/// </summary>
public sealed class WebhookDeliveryService(
    UpdateQueue updates,
    WebhookHttpClient http,
    IOptions<EmulatorOptions> options,
    TimeProvider time,
    ILogger<WebhookDeliveryService> logger) : BackgroundService
{
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Take the signal before looking, so an update queued in between wakes us.
                var changed = updates.Changed;
                var delivery = updates.NextWebhookDelivery(out var wait);
                if (delivery is null)
                {
                    var delay = wait == Timeout.InfiniteTimeSpan || wait > TimeSpan.FromSeconds(5) ? TimeSpan.FromSeconds(5) : wait;
                    try
                    {
                        await changed.WaitAsync(delay, time, stoppingToken).ConfigureAwait(false);
                    }
                    catch (TimeoutException)
                    {
                        // Nothing new; look again (a retry may be due, or the webhook may have been set).
                    }

                    continue;
                }

                await DeliverAsync(delivery, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Webhook delivery loop failed; backing off");
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task DeliverAsync(WebhookDelivery delivery, CancellationToken stoppingToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(delivery.Update, BotJson.Options)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (!string.IsNullOrEmpty(delivery.SecretToken))
        {
            request.Headers.Add(SecretHeader, delivery.SecretToken);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(options.Value.WebhookRequestTimeout);
        string? error;
        try
        {
            using var response = await http.Client.SendAsync(request, timeout.Token).ConfigureAwait(false);
            error = response.IsSuccessStatusCode
                ? null
                : $"Wrong response from the webhook: {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (HttpRequestException ex)
        {
            error = ex.Message;
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            error = "Read timeout expired";
        }

        if (error is null)
        {
            updates.WebhookSucceeded(delivery.Update.Id);
            logger.LogDebug("Delivered update {UpdateId} to the webhook", delivery.Update.Id);
        }
        else
        {
            updates.WebhookFailed(delivery.Update.Id, error);
            logger.LogInformation("Webhook attempt {Attempt} for update {UpdateId} failed: {Error}", delivery.Attempt, delivery.Update.Id, error);
        }
    }
}

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
