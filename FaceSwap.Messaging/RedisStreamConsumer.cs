using System.Globalization;
using System.Text.Json;
using FaceSwap.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace FaceSwap.Messaging;

/// <summary>
/// Consumes one Redis stream in a consumer group, each entry on its own: an entry that fails stays pending and is
/// claimed again after <see cref="StreamConsumerOptions.ClaimAfter"/> while the others flow; an unreadable entry, or one
/// delivered more than <see cref="StreamConsumerOptions.MaxDeliveries"/> times, goes to the dead-letter stream. Entries
/// being handled keep their claim renewed, so only a dead consumer's entries are taken over. Acknowledged entries are
/// trimmed from the stream.
/// </summary>
/// <remarks>
/// StackExchange.Redis multiplexes one connection and so cannot block on XREADGROUP; an idle consumer waits on the
/// nudge channel, polling slowly as a fallback.
/// </remarks>
public sealed class RedisStreamConsumer<TMessage, THandler> : BackgroundService
    where THandler : IStreamEntryHandler<TMessage>
{
    private readonly IConnectionMultiplexer _redis;
    private readonly IServiceScopeFactory _scopes;
    private readonly StreamConsumerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Task> _keyTails = [];
    private readonly Dictionary<string, Task> _inFlight = [];
    private readonly CancellationTokenSource _handling = new();
    private readonly LoopBackoff _backoff;
    private bool _subscribed;

    public RedisStreamConsumer(IConnectionMultiplexer redis, IServiceScopeFactory scopes, StreamConsumerOptions options, TimeProvider time,
        ILogger<RedisStreamConsumer<TMessage, THandler>> logger)
    {
        _redis = redis;
        _scopes = scopes;
        _options = options;
        _time = time;
        _logger = logger;
        // Redis down: the same backoff as the services' other loops, so every consumer does not hammer it each second.
        _backoff = new LoopBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), time);
        _slots = new SemaphoreSlim(options.HandlersInParallel, options.HandlersInParallel);
    }

    public StreamConsumerStatus Status { get; } = new();

    public StreamConsumerOptions Options => _options;

    private TimeSpan RenewEvery => _options.ClaimAfter / 3;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Renewals outlive the loop: the entries in hand at shutdown keep their claim until they are finished.
        using var renewalsStop = new CancellationTokenSource();
        var renewals = RenewClaimsAsync(renewalsStop.Token);
        var readOwnPendingFrom = (string?)"0-0";
        var nextClaim = _time.GetUtcNow();
        var nextTrim = _time.GetUtcNow() + _options.TrimInterval;
        var ready = false;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var database = _redis.GetDatabase();
                if (!ready)
                {
                    await SubscribeAsync();
                    await EnsureGroupAsync(database);
                    ready = true;
                }

                await _slots.WaitAsync(stoppingToken);
                _slots.Release();
                var free = _slots.CurrentCount;

                StreamEntry[] entries = [];
                if (readOwnPendingFrom is not null)
                {
                    // Once, at start: what this consumer was handling when it stopped. Not repeated: a failing entry is
                    // retried through the claim below, so it can never keep the consumer from new entries.
                    entries = await database.StreamReadGroupAsync(_options.Stream, _options.Group, _options.Consumer, readOwnPendingFrom, count: free);
                    readOwnPendingFrom = entries.Length == 0 ? null : entries[^1].Id.ToString();
                }
                else if (_time.GetUtcNow() >= nextClaim)
                {
                    nextClaim = _time.GetUtcNow() + TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, _options.ClaimAfter.Ticks / 4));
                    var claimed = await database.StreamAutoClaimAsync(_options.Stream, _options.Group, _options.Consumer,
                        (long)_options.ClaimAfter.TotalMilliseconds, "0-0", count: free);
                    entries = claimed.ClaimedEntries;
                    Status.CountClaimPass();
                    if (entries.Length > 0)
                    {
                        _logger.LogWarning("Claimed {Count} entries of {Stream} left pending past {ClaimAfter}", entries.Length, _options.Stream, _options.ClaimAfter);
                    }
                }

                if (entries.Length == 0 && readOwnPendingFrom is null)
                {
                    entries = await database.StreamReadGroupAsync(_options.Stream, _options.Group, _options.Consumer, ">", count: free);
                }

                Status.MarkRead(_time.GetUtcNow());
                if (entries.Length > 0)
                {
                    await StartAsync(database, entries, stoppingToken);
                }
                else if (readOwnPendingFrom is null)
                {
                    await _wake.WaitAsync(_options.IdlePollInterval, stoppingToken);
                }

                if (_time.GetUtcNow() >= nextTrim)
                {
                    nextTrim = _time.GetUtcNow() + _options.TrimInterval;
                    await TrimAsync(database);
                }

                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                ready = false;
                Status.MarkFailed(ex.Message);
                var delay = _backoff.DelayFor(++failures);
                _logger.LogWarning(ex, "Reading {Stream} failed ({Failures} in a row); retrying in {Delay}", _options.Stream, failures, delay);
                await Task.Delay(delay, _time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        Task[] running;
        lock (_gate)
        {
            running = [.. _inFlight.Values];
        }

        // The entries in hand are finished even when shutdown starts, within the host's shutdown timeout.
        await Task.WhenAll(running);
        await renewalsStop.CancelAsync();
        await renewals;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The host's shutdown deadline ends the handling of entries still in hand; they stay pending for the next consumer.
        await using var registration = cancellationToken.Register(_handling.Cancel);
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _handling.Dispose();
        _slots.Dispose();
        _wake.Dispose();
        base.Dispose();
    }

    private async Task StartAsync(IDatabase database, StreamEntry[] entries, CancellationToken stoppingToken)
    {
        var deliveries = await DeliveryCountsAsync(database, entries);
        // One handler instance names the keys of the whole batch; each entry is then handled in its own scope. Disposed
        // asynchronously: a synchronous Dispose throws when the handler's scope holds an IAsyncDisposable-only service
        // (the bot API's SentReplyLog), and the read loop then backed off after every batch.
        await using var keyScope = _scopes.CreateAsyncScope();
        var keys = keyScope.ServiceProvider.GetRequiredService<THandler>();
        foreach (var entry in entries)
        {
            var id = entry.Id.ToString();
            lock (_gate)
            {
                if (_inFlight.ContainsKey(id))
                {
                    continue; // claimed again while still in hand here (a renewal came too late); it is being handled
                }
            }

            if (entry.IsNull || entry.Values.Length == 0)
            {
                await database.StreamAcknowledgeAsync(_options.Stream, _options.Group, entry.Id); // deleted from the stream meanwhile
                continue;
            }

            var delivery = new StreamDelivery(id, deliveries.GetValueOrDefault(id, 1));
            if (!TryParse(entry, out var message, out var error))
            {
                _logger.LogError("Entry {EntryId} of {Stream} is unreadable ({Error}); dead-lettering it", id, _options.Stream, error);
                await DeadLetterAsync(database, entry, "unreadable: " + error);
                continue;
            }

            await _slots.WaitAsync(stoppingToken);
            string key;
            try
            {
                key = keys.KeyOf(message);
            }
            catch (Exception ex)
            {
                _slots.Release();
                _logger.LogError(ex, "Entry {EntryId} of {Stream} has no key; dead-lettering it", id, _options.Stream);
                await DeadLetterAsync(database, entry, "no key: " + ex.Message);
                continue;
            }

            lock (_gate)
            {
                var previous = _keyTails.GetValueOrDefault(key) ?? Task.CompletedTask;
                var task = RunAfterAsync(previous, database, entry, message, delivery);
                _keyTails[key] = task;
                _inFlight[id] = task;
                Status.InFlight = _inFlight.Count;
                _ = task.ContinueWith(_ => Finished(id, key, task), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    private void Finished(string id, string key, Task task)
    {
        lock (_gate)
        {
            _inFlight.Remove(id);
            if (_keyTails.TryGetValue(key, out var tail) && tail == task)
            {
                _keyTails.Remove(key);
            }

            Status.InFlight = _inFlight.Count;
        }

        _slots.Release();
        Wake();
    }

    private async Task RunAfterAsync(Task previous, IDatabase database, StreamEntry entry, TMessage message, StreamDelivery delivery)
    {
        // Entries of one key in order: wait for the one before, whatever became of it.
        await previous.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        await Task.Yield();
        var token = _handling.Token;
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var handler = scope.ServiceProvider.GetRequiredService<THandler>();
            if (delivery.DeliveryCount > _options.MaxDeliveries)
            {
                var reason = $"delivered {delivery.DeliveryCount} times";
                await handler.OnDeadLetterAsync(message, delivery, reason, token);
                await DeadLetterAsync(database, entry, reason);
                return;
            }

            var outcome = await handler.HandleAsync(message, delivery, token);
            if (outcome == StreamEntryOutcome.Done)
            {
                await database.StreamAcknowledgeAsync(_options.Stream, _options.Group, entry.Id);
                Status.CountHandled();
            }
            else
            {
                Status.CountRetried();
                _logger.LogInformation("Entry {EntryId} of {Stream} will be retried after {ClaimAfter} (delivery {Delivery} of {Max})",
                    delivery.EntryId, _options.Stream, _options.ClaimAfter, delivery.DeliveryCount, _options.MaxDeliveries);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            _logger.LogWarning("Entry {EntryId} of {Stream} was still in hand at shutdown; it stays pending", delivery.EntryId, _options.Stream);
        }
        catch (Exception ex)
        {
            Status.CountRetried();
            _logger.LogError(ex, "Entry {EntryId} of {Stream} failed on delivery {Delivery} of {Max}; it will be retried after {ClaimAfter}",
                delivery.EntryId, _options.Stream, delivery.DeliveryCount, _options.MaxDeliveries, _options.ClaimAfter);
        }
    }

    private static bool TryParse(StreamEntry entry, out TMessage message, out string error)
    {
        message = default!;
        var payload = entry[StreamPublisher.PayloadField];
        if (payload.IsNullOrEmpty)
        {
            error = $"no '{StreamPublisher.PayloadField}' field";
            return false;
        }

        try
        {
            if (JsonSerializer.Deserialize<TMessage>(payload.ToString()) is { } parsed)
            {
                message = parsed;
                error = "";
                return true;
            }

            error = "payload is null";
            return false;
        }
        catch (JsonException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    private async Task<Dictionary<string, int>> DeliveryCountsAsync(IDatabase database, StreamEntry[] entries)
    {
        var ids = entries.Select(e => e.Id.ToString()).ToArray();
        int inFlight;
        lock (_gate)
        {
            inFlight = _inFlight.Count;
        }

        var pending = await database.StreamPendingMessagesAsync(_options.Stream, _options.Group, inFlight + entries.Length + 16,
            _options.Consumer, MinId(ids), MaxId(ids));
        return pending.ToDictionary(p => p.MessageId.ToString(), p => p.DeliveryCount);
    }

    private async Task DeadLetterAsync(IDatabase database, StreamEntry entry, string reason)
    {
        var fields = entry.Values
            .Append(new NameValueEntry("dead_reason", reason))
            .Append(new NameValueEntry("dead_at", _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture)))
            .Append(new NameValueEntry("source_id", entry.Id))
            .ToArray();
        await database.StreamAddAsync(_options.DeadLetterStream, fields, maxLength: _options.DeadLetterMaxLength, useApproximateMaxLength: true);
        await database.StreamAcknowledgeAsync(_options.Stream, _options.Group, entry.Id);
        Status.CountDeadLettered();
    }

    /// <summary>Keeps the claim of every entry in hand fresh, so no other consumer takes a slow entry from a live one.</summary>
    private async Task RenewClaimsAsync(CancellationToken stopped)
    {
        while (!stopped.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(RenewEvery, _time, stopped);
                RedisValue[] ids;
                lock (_gate)
                {
                    ids = [.. _inFlight.Keys.Select(id => (RedisValue)id)];
                }

                if (ids.Length > 0)
                {
                    // XCLAIM with JUSTID resets the idle time and, unlike a real delivery, leaves the delivery count alone.
                    await _redis.GetDatabase().StreamClaimIdsOnlyAsync(_options.Stream, _options.Group, _options.Consumer, 0, ids);
                }
            }
            catch (OperationCanceledException) when (stopped.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                _logger.LogWarning(ex, "Could not renew the claim of entries in hand on {Stream}", _options.Stream);
            }
        }
    }

    /// <summary>
    /// Drops acknowledged entries: everything older than the oldest entry still pending in the group, or, with nothing
    /// pending, older than the last one delivered. Entries not yet delivered are newer than both and stay.
    /// </summary>
    internal async Task TrimAsync(IDatabase database)
    {
        var group = (await database.StreamGroupInfoAsync(_options.Stream)).FirstOrDefault(g => g.Name == _options.Group);
        if (group.Name is null || group.LastDeliveredId is null or "0-0")
        {
            return;
        }

        var pending = await database.StreamPendingAsync(_options.Stream, _options.Group);
        var keepFrom = pending.PendingMessageCount > 0 ? pending.LowestPendingMessageId : (RedisValue)group.LastDeliveredId;
        var trimmed = await database.StreamTrimByMinIdAsync(_options.Stream, keepFrom);
        if (trimmed > 0)
        {
            _logger.LogDebug("Trimmed {Count} acknowledged entries from {Stream}", trimmed, _options.Stream);
        }
    }

    internal async Task EnsureGroupAsync(IDatabase database)
    {
        try
        {
            await database.StreamCreateConsumerGroupAsync(_options.Stream, _options.Group, "0", createStream: true);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // The group exists.
        }
    }

    private async Task SubscribeAsync()
    {
        if (_options.NudgeChannel is { } channel && !_subscribed)
        {
            await _redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(channel), (_, _) => Wake());
            _subscribed = true;
        }
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // already woken
        }
        catch (ObjectDisposedException)
        {
            // stopped
        }
    }

    private static string MinId(string[] ids) => ids.MinBy(ParseId)!;

    private static string MaxId(string[] ids) => ids.MaxBy(ParseId)!;

    private static (long Ms, long Seq) ParseId(string id)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        return dash < 0
            ? (long.Parse(id, CultureInfo.InvariantCulture), 0)
            : (long.Parse(id.AsSpan(0, dash), CultureInfo.InvariantCulture), long.Parse(id.AsSpan(dash + 1), CultureInfo.InvariantCulture));
    }
}
