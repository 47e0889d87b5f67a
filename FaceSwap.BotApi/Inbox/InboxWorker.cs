using System.Diagnostics;
using System.Text.Json;
using FaceSwap.BotApi.Conversation;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Data.Leases;
using FaceSwap.BotApi.Telegram;
using FaceSwap.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace FaceSwap.BotApi.Inbox;

/// <summary>
/// Handles stored updates, fairly: each chat's updates in order, one at a time, and the chats side by side, with no
/// barrier between them. Ready work is the oldest waiting update of each chat that has none in hand; a chat takes a few
/// updates per turn and then makes way for the chats that waited longest, so a slow or chatty chat delays only itself.
/// A flood beyond a per-chat cap is set aside with one answer. An update's attempt is counted before it runs, so one
/// that kills the process is tried a bounded number of times; a reply Telegram refuses for good is not retried.
/// With several replicas (PostgreSQL) a chat's turn runs only under its lease (<see cref="LeaseStore"/>): claimed before
/// the turn, renewed while it runs and checked before each update, given back after it; a killed replica's chats wait
/// for their leases to expire, then any replica goes on from the first update not marked handled.
/// </summary>
public sealed class InboxWorker(
    IServiceScopeFactory scopeFactory,
    UpdateInbox inbox,
    LeaseStore leases,
    IOptions<ReplicaOptions> replica,
    WakeSignal<InboxWorker> signal,
    IOptions<InboxOptions> options,
    TimeProvider time,
    Operations.FaceSwapMetrics metrics,
    ILogger<InboxWorker> logger) : BackgroundService
{
    public static readonly ActivitySource ActivitySource = new("FaceSwap");

    private readonly Dictionary<long, Task> _chatsInHand = [];
    // Written by the chats' own tasks, which run side by side.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, DateTimeOffset> _warnedAt = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var done in _chatsInHand.Where(c => c.Value.IsCompleted).Select(c => c.Key).ToList())
                {
                    _chatsInHand.Remove(done);
                }

                var started = 0;
                var free = settings.ChatsInParallel - _chatsInHand.Count;
                if (free > 0)
                {
                    foreach (var chatId in await ReadyChatsAsync(free, stoppingToken))
                    {
                        _chatsInHand[chatId] = Task.Run(() => HandleChatTurnAsync(chatId, stoppingToken), CancellationToken.None);
                        started++;
                    }
                }

                failures = 0;
                if (started == 0)
                {
                    // A chat that finishes its turn, or a new update, wakes this; the poll catches retries coming due.
                    await signal.WaitAsync(settings.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                var delay = _loopRetry.DelayFor(++failures);
                logger.LogError(ex, "Choosing ready chats failed ({Failures} in a row); retrying in {Delay}", failures, delay);
                await Task.Delay(delay, time, stoppingToken);
            }
        }

        await Task.WhenAll(_chatsInHand.Values);
    }

    /// <summary>The chats whose oldest waiting update is due, oldest first, leaving out the chats in hand.</summary>
    private async Task<List<long>> ReadyChatsAsync(int count, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FaceSwapDbContext>();
        var now = time.GetUtcNow();
        var inHand = _chatsInHand.Keys.ToList();
        var firstOfEachChat = db.InboxUpdates.Where(u => u.Status == InboxStatus.Pending).GroupBy(u => u.ChatId).Select(g => g.Min(u => u.UpdateId));
        var ready = db.InboxUpdates.AsNoTracking()
            .Where(u => firstOfEachChat.Contains(u.UpdateId) && u.NextAttemptAt <= now && !inHand.Contains(u.ChatId));
        if (leases.On)
        {
            // Chats another replica holds are not ready here: they would take the free slots and then be refused.
            var owner = leases.Owner;
            ready = ready.Where(u => !db.ChatLeases.Any(l => l.ChatId == u.ChatId && l.Owner != owner && l.ExpiresAt > now));
        }

        return await ready
            .OrderBy(u => u.UpdateId)
            .Select(u => u.ChatId)
            .Take(count)
            .ToListAsync(cancellationToken);
    }

    private async Task HandleChatTurnAsync(long chatId, CancellationToken cancellationToken)
    {
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<bool>? renewal = null;
        var held = false;
        try
        {
            if (!await leases.TryHoldChatAsync(chatId, cancellationToken))
            {
                return; // another replica took the chat since it was chosen
            }

            held = true;
            renewal = RenewWhileTurnRunsAsync(chatId, renewing.Token);
            for (var handled = 0; handled < options.Value.UpdatesPerTurn && !cancellationToken.IsCancellationRequested;)
            {
                // A replica that lost the lease (a pause longer than it) stops before the next update: another has the chat.
                if (renewal is { IsCompletedSuccessfully: true, Result: true } || handled > 0 && !await leases.TryHoldChatAsync(chatId, cancellationToken))
                {
                    logger.LogWarning("Lost the lease of chat {ChatId}; its turn stops here", chatId);
                    held = false;
                    break;
                }

                var next = await NextOfChatAsync(chatId, cancellationToken);
                if (next is null || next.NextAttemptAt > time.GetUtcNow())
                {
                    break; // nothing waiting, or its retry is not due: the chat waits, the others do not
                }

                if (next.PendingInChat > options.Value.MaxPendingPerChat)
                {
                    await ShedFloodAsync(chatId, cancellationToken);
                    continue;
                }

                if (!await HandleOneAsync(next.Update, cancellationToken))
                {
                    break; // keep the chat's order: the rest waits for this one's retry
                }

                handled++;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Handling chat {ChatId} failed; it is tried again on the next pass", chatId);
        }
        finally
        {
            await renewing.CancelAsync();
            if (renewal is not null && await renewal)
            {
                held = false; // lost while the last update ran
            }

            if (held)
            {
                await ReleaseAsync(chatId);
            }

            signal.Notify(); // a slot is free
        }
    }

    /// <summary>
    /// Renews the chat's lease every third of its time while one update of the turn runs long (a slow upload);
    /// completes with true if the lease was lost, with false when the turn ends.
    /// </summary>
    private async Task<bool> RenewWhileTurnRunsAsync(long chatId, CancellationToken turnOver)
    {
        if (!leases.On)
        {
            return false;
        }

        using var timer = new PeriodicTimer(replica.Value.LeaseTime / 3, time);
        try
        {
            while (await timer.WaitForNextTickAsync(turnOver))
            {
                if (!await leases.TryHoldChatAsync(chatId, turnOver))
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException) when (turnOver.IsCancellationRequested)
        {
            // the turn is over
        }
        catch (Exception ex)
        {
            // The database is unreachable: the lease runs out; the next update's check stops the turn.
            logger.LogWarning(ex, "Could not renew the lease of chat {ChatId}", chatId);
            return true;
        }

        return false;
    }

    private async Task ReleaseAsync(long chatId)
    {
        try
        {
            await leases.ReleaseChatAsync(chatId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // It expires on its own; until then only this replica takes the chat.
            logger.LogWarning(ex, "Could not give back the lease of chat {ChatId}", chatId);
        }
    }

    private sealed record NextUpdate(InboxUpdate Update, int PendingInChat)
    {
        public DateTimeOffset NextAttemptAt => Update.NextAttemptAt;
    }

    private async Task<NextUpdate?> NextOfChatAsync(long chatId, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FaceSwapDbContext>();
        var pending = db.InboxUpdates.AsNoTracking().Where(u => u.ChatId == chatId && u.Status == InboxStatus.Pending);
        var first = await pending.OrderBy(u => u.UpdateId).FirstOrDefaultAsync(cancellationToken);
        return first is null ? null : new NextUpdate(first, await pending.CountAsync(cancellationToken));
    }

    /// <returns>Whether the chat may go on to its next update.</returns>
    private async Task<bool> HandleOneAsync(InboxUpdate stored, CancellationToken cancellationToken)
    {
        using var activity = ActivitySource.StartActivity("inbox handle update", ActivityKind.Internal, stored.TraceParent);
        activity?.SetTag("telegram.update_id", stored.UpdateId);
        activity?.SetTag("faceswap.attempt", stored.Attempts + 1);
        var settings = options.Value;
        if (stored.Attempts >= settings.MaxAttempts)
        {
            // Every earlier attempt was counted before it ran and none finished: the process died on it, or it kept failing.
            await SetAsideAsync(stored, stored.Attempts, InboxStatus.Failed, $"gave up after {stored.Attempts} attempts that did not finish", tellUser: true);
            return true;
        }

        var attempts = stored.Attempts + 1;
        await inbox.MarkAttemptAsync(stored.UpdateId, attempts, cancellationToken);
        await using var scope = scopeFactory.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentUpdate>().UpdateId = stored.UpdateId;
        try
        {
            var update = JsonSerializer.Deserialize<Update>(stored.Payload, JsonBotAPI.Options)
                ?? throw new JsonException("Stored update is null.");
            activity?.SetTag("telegram.update_type", update.Type.ToString());
            // Named by kind in the dashboard's list: a message, a button press and a payment read apart at a glance.
            activity?.DisplayName = $"inbox handle update ({update.Type})";
            await scope.ServiceProvider.GetRequiredService<UpdateDispatcher>().HandleAsync(update, cancellationToken);
            await inbox.MarkHandledAsync(stored.UpdateId, attempts, time.GetUtcNow(), cancellationToken);
            activity?.SetTag("faceswap.outcome", "handled");
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is ChatUnreachableException || ex is global::Telegram.Bot.Exceptions.ApiRequestException api && TelegramFailures.IsChatUnreachable(api))
        {
            // The user blocked the bot (or is gone): no reply can reach them, so the update is done, not retried.
            logger.LogInformation("Update {UpdateId}: chat {ChatId} is unreachable ({Error}); not retried", stored.UpdateId, stored.ChatId, ex.Message);
            activity?.SetTag("faceswap.outcome", "chat unreachable");
            await scope.ServiceProvider.GetRequiredService<UserReachability>().MarkUnreachableAsync(stored.ChatId, ex.Message, CancellationToken.None);
            await SetAsideAsync(stored, attempts, InboxStatus.Handled, "chat unreachable: " + ex.Message, tellUser: false);
            return true;
        }
        catch (Exception ex)
        {
            // A request Telegram refuses as it stands (a 400) and an unreadable update fail the same way every time.
            var final = TelegramFailures.IsFinal(ex) || ex is JsonException;
            var giveUp = final || attempts >= settings.MaxAttempts;
            activity?.SetTag("faceswap.outcome", giveUp ? "failed" : "retry");
            logger.LogError(ex, "Update {UpdateId} of chat {ChatId} failed (attempt {Attempt}){Outcome}",
                stored.UpdateId, stored.ChatId, attempts, giveUp ? "; giving up" : "; will retry");
            if (giveUp)
            {
                await SetAsideAsync(stored, attempts, InboxStatus.Failed, Describe(ex), tellUser: !final);
                return true; // a given-up update no longer holds back its chat
            }

            await using var retryScope = scopeFactory.CreateAsyncScope();
            var retryAt = time.GetUtcNow() + _updateRetry.DelayFor(attempts);
            await retryScope.ServiceProvider.GetRequiredService<FaceSwapDbContext>().InboxUpdates.Where(u => u.UpdateId == stored.UpdateId)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.NextAttemptAt, retryAt).SetProperty(u => u.LastError, Describe(ex)), CancellationToken.None);
            return false;
        }
    }

    /// <summary>When a failed update is tried again, stored on its row: 2, 4, 8, 16, 32 s, then a minute (jittered).</summary>
    private readonly LoopBackoff _updateRetry = new(TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1), time);

    /// <summary>While the database cannot say which chats are ready: 1 s, doubling up to 10 s.</summary>
    private readonly LoopBackoff _loopRetry = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), time);

    private static string Describe(Exception ex) => ex.GetType().Name + ": " + ex.Message;

    private async Task SetAsideAsync(InboxUpdate stored, int attempts, InboxStatus status, string reason, bool tellUser)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FaceSwapDbContext>();
        var now = time.GetUtcNow();
        await db.InboxUpdates.Where(u => u.UpdateId == stored.UpdateId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.Status, status).SetProperty(u => u.Attempts, attempts)
                .SetProperty(u => u.HandledAt, now).SetProperty(u => u.LastError, reason), CancellationToken.None);
        if (tellUser)
        {
            await TryTellAsync(scope, stored.ChatId, texts => texts["UpdateGaveUp"]);
        }
    }

    /// <summary>
    /// Sets aside all but the oldest few of a flooding chat's waiting updates (payments excepted: they are money, and
    /// Telegram's pre-checkout deadline is 10 s) and tells the user once a minute at most.
    /// </summary>
    private async Task ShedFloodAsync(long chatId, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FaceSwapDbContext>();
        var waiting = await db.InboxUpdates.AsNoTracking().Where(u => u.ChatId == chatId && u.Status == InboxStatus.Pending)
            .OrderBy(u => u.UpdateId).Select(u => new { u.UpdateId, u.Payload }).ToListAsync(cancellationToken);
        var shed = waiting.Skip(options.Value.KeptWhenFlooding).Where(u => !IsPayment(u.Payload)).Select(u => u.UpdateId).ToList();
        if (shed.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        var reason = $"flood: {waiting.Count} updates waiting in the chat, over the cap of {options.Value.MaxPendingPerChat}";
        await db.InboxUpdates.Where(u => shed.Contains(u.UpdateId) && u.Status == InboxStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.Status, InboxStatus.Shed).SetProperty(u => u.HandledAt, now).SetProperty(u => u.LastError, reason),
                CancellationToken.None);
        metrics.UpdatesShed(shed.Count);
        logger.LogWarning("Chat {ChatId} is flooding: set aside {Count} of its {Waiting} waiting updates", chatId, shed.Count, waiting.Count);
        if (_warnedAt.GetValueOrDefault(chatId) < now - TimeSpan.FromMinutes(1))
        {
            _warnedAt[chatId] = now;
            await TryTellAsync(scope, chatId, texts => texts.Format("SlowDown", shed.Count));
        }
    }

    private static bool IsPayment(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize<Update>(payload, JsonBotAPI.Options) is
                { PreCheckoutQuery: not null } or { Message.SuccessfulPayment: not null } or { Message.RefundedPayment: not null };
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>A courtesy message; if Telegram refuses it too, there is nothing more to do.</summary>
    private async Task TryTellAsync(AsyncServiceScope scope, long chatId, Func<BotTexts, string> text)
    {
        try
        {
            var db = scope.ServiceProvider.GetRequiredService<FaceSwapDbContext>();
            var language = await db.Users.Where(u => u.ChatId == chatId).Select(u => u.LanguageCode).FirstOrDefaultAsync();
            await scope.ServiceProvider.GetRequiredService<BotMessenger>().SendTextAsync(chatId, text(new BotTexts(language)));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not tell chat {ChatId} why its message was set aside", chatId);
        }
    }
}
