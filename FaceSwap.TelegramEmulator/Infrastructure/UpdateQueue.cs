using Microsoft.Extensions.Options;
using Telegram.Bot.Types;

namespace FaceSwap.TelegramEmulator.Infrastructure;

/// <summary>
/// The bot's pending updates, handed out either by getUpdates or by the webhook sender (never both,
/// like Telegram). Update ids are assigned here, under one lock, so they are strictly increasing.
/// </summary>
public sealed class UpdateQueue(IOptions<EmulatorOptions> options, TimeProvider time, ILogger<UpdateQueue> logger)
{
    // Telegram's default when allowed_updates is empty: everything except these three.
    private static readonly string[] NotDeliveredByDefault = ["chat_member", "message_reaction", "message_reaction_count"];

    private readonly Lock _gate = new();
    private readonly List<PendingUpdate> _pending = [];
    private TaskCompletionSource _changed = NewSignal();
    private long _lastUpdateId = FirstUpdateId(time.GetUtcNow()) - 1;
    private long _delivered;
    private long _pollGeneration;
    private int _waitingPolls;
    private WebhookSettings? _webhook;
    private HashSet<string>? _allowedUpdates;
    private DateTimeOffset? _lastErrorDate;
    private string? _lastErrorMessage;

    /// <summary>
    /// Where a freshly started emulator's update ids begin. Telegram's ids keep increasing for a bot across restarts,
    /// and a bot that remembers the ids it has seen (the bot API's inbox keeps them for days, to drop repeats) took a
    /// restarted emulator's first updates for repeats of the last run's and never answered them: the second
    /// <c>./run.sh</c> on the same .data, or a bot API restored from a backup. So the ids start from the clock, 20 a
    /// second since 2026-01-01 above 100,000,000: ahead of every earlier run that sent fewer than 20 updates a second
    /// on average, and within Update.Id's int until 2029.
    /// </summary>
    public static long FirstUpdateId(DateTimeOffset now)
    {
        var milliseconds = Math.Clamp((now - new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)).TotalMilliseconds, 0, 100_000_000_000);
        return 100_000_000 + (long)milliseconds / 50;
    }

    /// <summary>Completes when an update is added or the webhook changes.</summary>
    public Task Changed
    {
        get { lock (_gate) { return _changed.Task; } }
    }

    /// <summary>Assigns the next id, builds the update and queues it unless allowed_updates filters it out.</summary>
    public Update Enqueue(string type, Action<Update> fill)
    {
        lock (_gate)
        {
            var update = new Update { Id = (int)++_lastUpdateId };
            fill(update);
            if (IsAllowed(type))
            {
                _pending.Add(new PendingUpdate(update, time.GetUtcNow()));
                Pulse();
            }

            return update;
        }
    }

    public async Task<Update[]> GetUpdatesAsync(int? offset, int limit, TimeSpan timeout, string[]? allowedUpdates, CancellationToken cancellationToken)
    {
        long generation;
        lock (_gate)
        {
            if (_webhook is not null)
            {
                throw new BotApiException(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
            }

            if (allowedUpdates is not null)
            {
                SetAllowedUpdates(allowedUpdates);
            }

            Confirm(offset);
            generation = ++_pollGeneration;
            // A newer poll ends an older one, as Telegram does for two bot instances.
            Pulse();
        }

        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (generation != _pollGeneration)
                {
                    throw new BotApiException(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
                }

                if (_webhook is not null)
                {
                    throw new BotApiException(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
                }

                if (_pending.Count > 0 || time.GetUtcNow() >= deadline)
                {
                    return [.. _pending.Take(limit).Select(p => p.Update)];
                }

                changed = _changed.Task;
            }

            var remaining = deadline - time.GetUtcNow();
            if (remaining > TimeSpan.Zero)
            {
                // Counted while it waits, so that a client (or a test) sees a long poll held open rather than timing it.
                Interlocked.Increment(ref _waitingPolls);
                try
                {
                    await changed.WaitAsync(remaining, time, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // The long poll's time is up: the loop answers with whatever is pending (usually nothing).
                }
                finally
                {
                    Interlocked.Decrement(ref _waitingPolls);
                }
            }
        }
    }

    public void SetWebhook(WebhookSettings settings, bool dropPending)
    {
        lock (_gate)
        {
            _webhook = settings;
            SetAllowedUpdates(settings.AllowedUpdates);
            if (dropPending)
            {
                _pending.Clear();
            }

            Pulse();
        }
    }

    public void DeleteWebhook(bool dropPending)
    {
        lock (_gate)
        {
            _webhook = null;
            // A post still in flight may finish later (then WebhookSucceeded removes it); until then
            // getUpdates can hand it out again, which update_id-based dedup in bots tolerates.
            _pending.ForEach(p => p.InFlight = false);
            if (dropPending)
            {
                _pending.Clear();
            }

            Pulse();
        }
    }

    public WebhookInfo GetWebhookInfo()
    {
        lock (_gate)
        {
            return new WebhookInfo
            {
                Url = _webhook?.Url ?? string.Empty,
                HasCustomCertificate = false,
                PendingUpdateCount = _pending.Count,
                LastErrorDate = _lastErrorDate?.UtcDateTime,
                LastErrorMessage = _lastErrorMessage,
                MaxConnections = _webhook?.MaxConnections,
                AllowedUpdates = _webhook is { AllowedUpdates.Length: > 0 } w ? ParseUpdateTypes(w.AllowedUpdates) : null,
            };
        }
    }

    public QueueState GetState()
    {
        lock (_gate)
        {
            return new QueueState(_webhook?.Url, _pending.Count, _delivered, _lastErrorMessage, _lastErrorDate, Volatile.Read(ref _waitingPolls));
        }
    }

    /// <summary>
    /// The updates the webhook sender should post now, and otherwise how long until a retry is due.
    /// Per chat, updates go strictly in order and one at a time; different chats proceed in parallel
    /// up to max_connections, so a failing update holds back only its own chat. A failing update is
    /// retried with backoff and dropped after WebhookMaxAttempts or WebhookMaxUpdateAge.
    /// </summary>
    public IReadOnlyList<WebhookDelivery> TakeWebhookDeliveries(out TimeSpan wait)
    {
        lock (_gate)
        {
            wait = Timeout.InfiniteTimeSpan;
            if (_webhook is null)
            {
                return [];
            }

            var now = time.GetUtcNow();
            var maxAge = options.Value.WebhookMaxUpdateAge;
            var expired = _pending.RemoveAll(p => !p.InFlight && now - p.CreatedAt > maxAge);
            if (expired > 0)
            {
                logger.LogWarning("Dropped {Count} webhook updates older than {MaxAge}", expired, maxAge);
            }

            var inFlight = _pending.Count(p => p.InFlight);
            var chatsSeen = new HashSet<long>();
            var result = new List<WebhookDelivery>();
            foreach (var pending in _pending)
            {
                if (!chatsSeen.Add(pending.ChatKey) || pending.InFlight)
                {
                    continue; // an earlier update of this chat is still pending or in flight
                }

                if (pending.NextAttemptAt > now)
                {
                    var due = pending.NextAttemptAt - now;
                    wait = wait == Timeout.InfiniteTimeSpan || due < wait ? due : wait;
                    continue;
                }

                if (inFlight >= _webhook.MaxConnections)
                {
                    break;
                }

                pending.InFlight = true;
                inFlight++;
                result.Add(new WebhookDelivery(pending.Update, _webhook.Url, _webhook.SecretToken, pending.Attempts + 1));
            }

            return result;
        }
    }

    public void WebhookSucceeded(long updateId)
    {
        lock (_gate)
        {
            if (_pending.RemoveAll(p => p.Update.Id == updateId) > 0)
            {
                _delivered++;
            }

            Pulse();
        }
    }

    public void WebhookFailed(long updateId, string error)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            _lastErrorDate = now;
            _lastErrorMessage = error;
            var pending = _pending.Find(p => p.Update.Id == updateId);
            if (pending is null)
            {
                return;
            }

            pending.InFlight = false;
            pending.Attempts++;
            if (pending.Attempts >= options.Value.WebhookMaxAttempts)
            {
                logger.LogWarning("Dropping update {UpdateId} after {Attempts} failed webhook attempts", updateId, pending.Attempts);
                _pending.Remove(pending);
            }
            else
            {
                var delay = options.Value.WebhookRetryBaseDelay * Math.Pow(2, Math.Min(pending.Attempts - 1, 20));
                pending.NextAttemptAt = now + (delay > options.Value.WebhookMaxRetryDelay ? options.Value.WebhookMaxRetryDelay : delay);
            }

            Pulse();
        }
    }

    private void Confirm(int? offset)
    {
        if (offset is null)
        {
            return;
        }

        if (offset < 0)
        {
            // Negative offset: keep only the last -offset updates, forget the rest.
            var keep = -offset.Value;
            var drop = Math.Max(0, _pending.Count - keep);
            _delivered += drop;
            _pending.RemoveRange(0, drop);
            return;
        }

        var confirmed = _pending.RemoveAll(p => p.Update.Id < offset);
        _delivered += confirmed;
    }

    private void SetAllowedUpdates(string[] allowedUpdates) =>
        _allowedUpdates = allowedUpdates.Length == 0 ? null : new HashSet<string>(allowedUpdates, StringComparer.Ordinal);

    private bool IsAllowed(string type) =>
        _allowedUpdates?.Contains(type) ?? !NotDeliveredByDefault.Contains(type);

    /// <summary>The update types Telegram.Bot knows; names it does not know are left out of getWebhookInfo.</summary>
    private static Telegram.Bot.Types.Enums.UpdateType[] ParseUpdateTypes(string[] names)
    {
        var types = new List<Telegram.Bot.Types.Enums.UpdateType>();
        foreach (var name in names)
        {
            try
            {
                types.Add(System.Text.Json.JsonSerializer.Deserialize<Telegram.Bot.Types.Enums.UpdateType>(
                    System.Text.Json.JsonSerializer.Serialize(name), BotJson.Options));
            }
            catch (System.Text.Json.JsonException)
            {
                // Unknown to this Telegram.Bot version: skip rather than fail getWebhookInfo.
            }
        }

        return [.. types];
    }

    private void Pulse()
    {
        var previous = _changed;
        _changed = NewSignal();
        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The chat an update belongs to, for per-chat ordering; updates without one stand alone.</summary>
    private static long ChatKeyOf(Update update) =>
        update.Message?.Chat.Id
        ?? update.EditedMessage?.Chat.Id
        ?? update.CallbackQuery?.From.Id
        ?? update.PreCheckoutQuery?.From.Id
        ?? update.MyChatMember?.Chat.Id
        ?? -update.Id;

    private sealed class PendingUpdate(Update update, DateTimeOffset createdAt)
    {
        public Update Update { get; } = update;
        public long ChatKey { get; } = ChatKeyOf(update);
        public bool InFlight { get; set; }
        public DateTimeOffset CreatedAt { get; } = createdAt;
        public int Attempts { get; set; }
        public DateTimeOffset NextAttemptAt { get; set; } = createdAt;
    }
}
