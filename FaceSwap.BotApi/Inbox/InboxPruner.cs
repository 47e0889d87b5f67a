using System.ComponentModel.DataAnnotations;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Data.Leases;
using FaceSwap.BotApi.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Inbox;

/// <summary>
/// Deletes handled and failed updates with the records of what they sent, and dispatched outbox messages, older than <c>Inbox:Retention:RetainFor</c>,
/// every <c>Inbox:Retention:Interval</c>. Pending updates are never deleted, whatever their age: they are not handled
/// yet. SQLite keeps the freed pages in the file and reuses them for new rows, so the file stops growing at about the
/// retention window's size rather than shrinking; there is no VACUUM here, which would lock the database for the
/// whole rewrite. One replica prunes at a time (the <see cref="LeaderJobs.InboxPruner"/> lease).
/// </summary>
public sealed class InboxPruner(IServiceScopeFactory scopeFactory, IOptions<InboxRetentionOptions> options, Data.Leases.LeaseStore leases, TimeProvider time,
    Operations.FaceSwapMetrics metrics, ILogger<InboxPruner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            logger.LogWarning("Inbox pruning is disabled (Inbox:Retention:Enabled=false); every update stays in the database");
            return;
        }

        var wait = settings.FirstPassDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(wait, time, stoppingToken);
                if (await leases.TryLeadAsync(LeaderJobs.InboxPruner, settings.Interval, stoppingToken))
                {
                    await PruneOnceAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The next pass deletes what this one left: old rows only cost disk until then.
                logger.LogError(ex, "Pruning old updates failed; the next pass retries");
            }

            wait = settings.Interval;
        }
    }

    public async Task<InboxPruneResult> PruneOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var started = time.GetTimestamp();
        var cutoff = time.GetUtcNow() - settings.RetainFor;
        var slowest = TimeSpan.Zero;
        var batches = 0;
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FaceSwapDbContext>();

        // By receipt, not by HandledAt: a failed update has no HandledAt, and both end within minutes of receipt.
        // Only these two statuses, by name, so a status added later is not deleted by accident.
        var updates = await DeleteInBatchesAsync(() => db.InboxUpdates
            .Where(u => (u.Status == InboxStatus.Handled || u.Status == InboxStatus.Failed) && u.ReceivedAt < cutoff)
            .Take(settings.BatchSize));
        metrics.RecordPruned("inbox_updates", updates);
        // The records of what those updates sent (Telegram/SentReplyLog.cs) go with them: a record is written while its
        // update is pending, which is never deleted, so one without an update is one whose update is gone.
        var sentReplies = await DeleteInBatchesAsync(() => db.SentReplies
            .Where(r => !db.InboxUpdates.Any(u => u.UpdateId == r.UpdateId))
            .Take(settings.BatchSize));
        metrics.RecordPruned("sent_replies", sentReplies);
        var outbox = await DeleteInBatchesAsync(() => db.Outbox
            .Where(o => o.DispatchedAt != null && o.DispatchedAt < cutoff)
            .Take(settings.BatchSize));
        metrics.RecordPruned("outbox", outbox);

        var result = new InboxPruneResult(updates, outbox, batches, time.GetElapsedTime(started), slowest) { SentReplies = sentReplies };
        logger.Log(updates + outbox > 0 ? LogLevel.Information : LogLevel.Debug,
            "Pruned {Updates} updates ({SentReplies} records of their replies) and {OutboxMessages} outbox messages older than {Cutoff:u} in {ElapsedMs:F0} ms ({Batches} batches, slowest {SlowestBatchMs:F0} ms)",
            updates, sentReplies, outbox, cutoff, result.Elapsed.TotalMilliseconds, batches, slowest.TotalMilliseconds);
        return result;

        async Task<long> DeleteInBatchesAsync<T>(Func<IQueryable<T>> batch)
        {
            long deleted = 0;
            while (true)
            {
                // One statement, so one short transaction of its own: the intake writer waits at most one batch.
                var batchStarted = time.GetTimestamp();
                var rows = await batch().ExecuteDeleteAsync(cancellationToken);
                var took = time.GetElapsedTime(batchStarted);
                slowest = took > slowest ? took : slowest;
                batches++;
                deleted += rows;
                if (rows < settings.BatchSize)
                {
                    return deleted;
                }

                await Task.Delay(settings.BatchPause, time, cancellationToken);
            }
        }
    }
}
