using System.Diagnostics;
using System.Text.Json;
using FaceSwap.BotApi.Conversation;
using FaceSwap.BotApi.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace FaceSwap.BotApi.Inbox;

public sealed class InboxOptions
{
    public int MaxAttempts { get; set; } = 5;
    public int ChatsInParallel { get; set; } = 8;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Handles stored updates: in order within a chat, several chats at once. A failed update is retried with
/// backoff and holds back the later updates of its chat only; a crash between storing and handling loses
/// nothing, because the update stays pending until its handling committed.
/// </summary>
public sealed class InboxWorker(
    IServiceScopeFactory scopeFactory,
    UpdateInbox inbox,
    WakeSignal<InboxWorker> signal,
    IOptions<InboxOptions> options,
    TimeProvider time,
    ILogger<InboxWorker> logger) : BackgroundService
{
    public static readonly ActivitySource ActivitySource = new("FaceSwap");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var handled = await HandleReadyUpdatesAsync(stoppingToken);
                if (handled == 0)
                {
                    await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Inbox pass failed; retrying shortly");
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
        }
    }

    private async Task<int> HandleReadyUpdatesAsync(CancellationToken cancellationToken)
    {
        List<InboxUpdate> pending;
        await using (var scope = scopeFactory.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FaceSwapDbContext>();
            pending = await db.InboxUpdates.AsNoTracking()
                .Where(u => u.Status == InboxStatus.Pending)
                .OrderBy(u => u.UpdateId)
                .Take(500)
                .ToListAsync(cancellationToken);
        }

        var now = time.GetUtcNow();
        // Per chat, only a prefix of ready updates: a later update never overtakes an earlier one still waiting.
        var work = pending.GroupBy(u => u.ChatId)
            .Select(chat => chat.TakeWhile(u => u.NextAttemptAt <= now).ToList())
            .Where(chat => chat.Count > 0)
            .ToList();

        var handled = 0;
        await Parallel.ForEachAsync(work,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.ChatsInParallel, CancellationToken = cancellationToken },
            async (chatUpdates, ct) =>
            {
                foreach (var update in chatUpdates)
                {
                    if (!await HandleOneAsync(update, ct))
                    {
                        break; // keep the chat's order: the rest waits for this one's retry
                    }

                    Interlocked.Increment(ref handled);
                }
            });
        return handled;
    }

    private async Task<bool> HandleOneAsync(InboxUpdate stored, CancellationToken cancellationToken)
    {
        using var activity = ActivitySource.StartActivity("inbox handle update", ActivityKind.Internal, stored.TraceParent);
        activity?.SetTag("telegram.update_id", stored.UpdateId);
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FaceSwapDbContext>();
        scope.ServiceProvider.GetRequiredService<CurrentUpdate>().UpdateId = stored.UpdateId;
        try
        {
            var update = JsonSerializer.Deserialize<Update>(stored.Payload, JsonBotAPI.Options)
                ?? throw new JsonException("Stored update is null.");
            await scope.ServiceProvider.GetRequiredService<UpdateDispatcher>().HandleAsync(update, cancellationToken);
            await inbox.MarkHandledAsync(stored.UpdateId, stored.Attempts + 1, time.GetUtcNow(), cancellationToken);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            var attempts = stored.Attempts + 1;
            var giveUp = attempts >= options.Value.MaxAttempts || ex is JsonException;
            logger.LogError(ex, "Update {UpdateId} of chat {ChatId} failed (attempt {Attempt}){Outcome}",
                stored.UpdateId, stored.ChatId, attempts, giveUp ? "; giving up" : "; will retry");
            var retryAt = time.GetUtcNow() + TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, attempts)));
            await db.InboxUpdates.Where(u => u.UpdateId == stored.UpdateId)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.Status, giveUp ? InboxStatus.Failed : InboxStatus.Pending)
                    .SetProperty(u => u.Attempts, attempts)
                    .SetProperty(u => u.NextAttemptAt, retryAt)
                    .SetProperty(u => u.LastError, ex.GetType().Name + ": " + ex.Message), CancellationToken.None);
            return giveUp; // a given-up update no longer holds back its chat
        }
    }
}
