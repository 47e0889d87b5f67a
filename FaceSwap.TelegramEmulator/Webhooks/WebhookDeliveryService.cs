using System.Net.Http.Headers;
using System.Text.Json;
using FaceSwap.TelegramEmulator.Infrastructure;
using Microsoft.Extensions.Options;

namespace FaceSwap.TelegramEmulator.Webhooks;

/// <summary>
/// Posts pending updates to the webhook: in order and one at a time per chat, chats in parallel up to
/// max_connections (see <see cref="UpdateQueue.TakeWebhookDeliveries"/>). Any non-2xx answer or network
/// error is a failure: the same update is retried with backoff (see <see cref="UpdateQueue.WebhookFailed"/>).
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
        var running = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Take the signal before looking, so a change in between wakes us.
                var changed = updates.Changed;
                var deliveries = updates.TakeWebhookDeliveries(out var wait);
                foreach (var delivery in deliveries)
                {
                    running.Add(DeliverSafelyAsync(delivery, stoppingToken));
                }

                running.RemoveAll(t => t.IsCompleted);
                var delay = wait == Timeout.InfiniteTimeSpan || wait > TimeSpan.FromSeconds(5) ? TimeSpan.FromSeconds(5) : wait;
                try
                {
                    // Woken by a new update, a finished delivery, or a webhook change; else when a retry is due.
                    await changed.WaitAsync(delay, time, stoppingToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // A retry may be due now; look again.
                }
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

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    /// <summary>Never throws: an update taken for delivery must always come back as succeeded or failed.</summary>
    private async Task DeliverSafelyAsync(WebhookDelivery delivery, CancellationToken stoppingToken)
    {
        try
        {
            await DeliverAsync(delivery, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Webhook post for update {UpdateId} failed unexpectedly", delivery.Update.Id);
            updates.WebhookFailed(delivery.Update.Id, ex.Message);
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the update stays pending in memory.
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
