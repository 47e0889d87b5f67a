using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Inbox;
using FaceSwap.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace FaceSwap.BotApi.Telegram;

/// <summary>
/// Connects the bot to Telegram: in webhook mode registers <c>{PublicUrl}/telegram/webhook</c> with the secret;
/// in polling mode removes any webhook and long-polls getUpdates, resuming after the last stored update.
/// </summary>
public sealed class TelegramConnection(
    ITelegramBotClient bot,
    IOptions<TelegramOptions> options,
    IServiceScopeFactory scopeFactory,
    UpdateInbox inbox,
    TimeProvider time,
    ILogger<TelegramConnection> logger) : BackgroundService
{
    // Registration and polling wait 2 s after a first failure, doubling up to 30 s while Telegram stays unreachable.
    private readonly LoopBackoff _backoff = new(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30), time);

    public static readonly UpdateType[] AllowedUpdates =
        [UpdateType.Message, UpdateType.CallbackQuery, UpdateType.PreCheckoutQuery, UpdateType.MyChatMember];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RetryUntilDoneAsync("register the bot's commands", RegisterCommandsAsync, stoppingToken);
        var telegram = options.Value;
        if (telegram.Mode == TelegramMode.Webhook)
        {
            if (WebhookUrlOf(telegram) is { } url)
            {
                await RetryUntilDoneAsync("set the webhook", ct => RegisterWebhookAsync(bot, telegram, url, ct), stoppingToken);
                logger.LogInformation("Webhook registered at {WebhookUrl}", url);
            }

            return;
        }

        await RetryUntilDoneAsync("delete the webhook", ct => bot.DeleteWebhook(cancellationToken: ct), stoppingToken);
        await PollAsync(stoppingToken);
    }

    /// <summary>Where Telegram posts updates: <c>{PublicUrl}/telegram/webhook</c>; null without a public URL.</summary>
    public static string? WebhookUrlOf(TelegramOptions telegram) =>
        telegram.PublicUrl is { } publicUrl ? new Uri(publicUrl, "/telegram/webhook").ToString() : null;

    /// <summary>setWebhook with the secret and the update kinds handled; at start and by the operator (<c>POST /ops/webhook</c>).</summary>
    public static Task RegisterWebhookAsync(ITelegramBotClient bot, TelegramOptions telegram, string url, CancellationToken cancellationToken) =>
        bot.SetWebhook(url, secretToken: telegram.WebhookSecret, allowedUpdates: AllowedUpdates, cancellationToken: cancellationToken);

    private Task RegisterCommandsAsync(CancellationToken cancellationToken) => bot.SetMyCommands(
    [
        new BotCommand("start", "Start and get free credits"),
        new BotCommand("faces", "Your saved faces"),
        new BotCommand("balance", "Credits left"),
        new BotCommand("buy", "Buy credits"),
        new BotCommand("history", "Your last swaps"),
        new BotCommand("help", "How it works"),
        new BotCommand("privacy", "What is stored and for how long"),
        new BotCommand("deletedata", "Delete your data"),
        new BotCommand("terms", "The terms of use"),
        new BotCommand("report", "Report your last result to the operators"),
        new BotCommand("paysupport", "Help with payments"),
    ], cancellationToken: cancellationToken);

    private async Task PollAsync(CancellationToken stoppingToken)
    {
        int offset;
        await using (var scope = scopeFactory.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FaceSwapDbContext>();
            // Resume after the last stored update: Telegram forgets an update once a later offset confirms it.
            offset = (int)(await db.InboxUpdates.MaxAsync(u => (long?)u.UpdateId, stoppingToken) ?? 0) + 1;
        }

        logger.LogInformation("Polling Telegram for updates from {Offset}", offset);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                Update[] updates;
                // An idle long poll returns empty every few seconds; its span would be a trace of its own each time.
                // The updates it brings are traced from the inbox on.
                using (SuppressInstrumentationScope.Begin())
                {
                    updates = await bot.GetUpdates(offset, limit: 100, timeout: options.Value.PollingTimeoutSeconds,
                        allowedUpdates: AllowedUpdates, cancellationToken: stoppingToken);
                }

                foreach (var update in updates)
                {
                    var payload = System.Text.Json.JsonSerializer.Serialize(update, JsonBotAPI.Options);
                    await inbox.StoreAsync(update, payload, stoppingToken);
                    offset = update.Id + 1;
                }

                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                var delay = _backoff.DelayFor(++failures);
                logger.LogWarning(ex, "getUpdates failed ({Failures} in a row); retrying in {Delay}", failures, delay);
                await Task.Delay(delay, time, stoppingToken);
            }
        }
    }

    private async Task RetryUntilDoneAsync(string what, Func<CancellationToken, Task> action, CancellationToken stoppingToken) =>
        await _backoff.Pipeline((ex, attempt, delay) => logger.LogWarning(ex, "Could not {What} (attempt {Attempt}); retrying in {Delay}", what, attempt, delay))
            .ExecuteAsync(async ct => await action(ct), stoppingToken);
}
