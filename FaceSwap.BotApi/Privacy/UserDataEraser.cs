using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Inbox;
using FaceSwap.BotApi.Jobs;
using FaceSwap.BotApi.Media;
using FaceSwap.BotApi.Moderation;
using FaceSwap.Contracts;
using FaceSwap.Messaging;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace FaceSwap.BotApi.Privacy;

/// <summary>
/// /deletedata, at once: the user's photos, previews and results in Redis, their queue entries, jobs (the history),
/// saved faces, and the content of their stored updates; the user row keeps only the id, the terms accepted and a
/// ban. Kept, as the law requires for accounting: payments and the credit ledger, which hold ids and amounts, no names
/// or photos. Backups keep the old state until they are pruned (<c>Backups:KeepDailyDays</c>), as the privacy text says.
/// </summary>
public sealed class UserDataEraser(
    FaceSwapDbContext db,
    SwapJobLifecycle lifecycle,
    BlobStore blobs,
    IConnectionMultiplexer redis,
    ModerationLog log,
    CurrentUpdate currentUpdate,
    ILogger<UserDataEraser> logger)
{
    public async Task EraseAsync(BotUser user, CancellationToken cancellationToken)
    {
        var jobs = await db.Jobs.Where(j => j.UserId == user.Id).ToListAsync(cancellationToken);

        // A swap still running or waiting for "which face?" is stopped and refunded first, so no credit is lost.
        foreach (var job in jobs)
        {
            if (job.Status == JobStatus.AwaitingChoice)
            {
                await lifecycle.SupersedeAsync(job, cancellationToken);
            }
            else if (job.IsInProgress)
            {
                // Its inputs are about to go, which is what "input expired" tells the operator in the log.
                await lifecycle.FailAsync(job, SwapFailureReason.InputExpired, cancellationToken);
            }
        }

        var jobIds = jobs.Select(j => j.Id).ToArray();
        var queueEntries = await redis.RemoveByKeysAsync(QueueNames.Jobs, jobIds, cancellationToken);
        var photos = await blobs.DeleteOwnedByAsync(user.Id, cancellationToken);
        // Results and previews are keyed by job; inputs stored before photos were keyed by owner are listed by the jobs.
        await blobs.DeleteAsync(jobs.SelectMany(j => new[] { j.FaceBlobKey, j.TargetBlobKey, QueueNames.ResultBlobKey(j.Id), QueueNames.ResultPreviewBlobKey(j.Id) })
            .Concat(new[] { user.FaceBlobKey, user.LastTargetBlobKey }.OfType<string>()).Distinct().ToArray());

        await db.Outbox.Where(o => jobIds.Contains(o.JobId)).ExecuteDeleteAsync(cancellationToken);
        await db.Jobs.Where(j => j.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await db.SavedFaces.Where(f => f.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await db.Set<ModerationEntry>().Where(e => e.ActorId == user.Id && e.Action == ModerationAction.Reported)
            .ExecuteUpdateAsync(set => set.SetProperty(e => e.Details, (string?)null), cancellationToken);

        // Stored updates keep their id (what makes a redelivery by Telegram a no-op) and lose their content: names,
        // file ids, texts. Updates still waiting are the user's next messages, handled after this one as usual.
        var current = currentUpdate.UpdateId;
        var updates = await db.InboxUpdates
            .Where(u => u.ChatId == user.ChatId && (u.Status != InboxStatus.Pending || u.UpdateId == current))
            .Select(u => u.UpdateId).ToListAsync(cancellationToken);
        foreach (var updateId in updates)
        {
            var empty = $"{{\"update_id\":{updateId}}}";
            await db.InboxUpdates.Where(u => u.UpdateId == updateId)
                .ExecuteUpdateAsync(set => set.SetProperty(u => u.Payload, empty).SetProperty(u => u.LastError, (string?)null), cancellationToken);
        }

        user.FirstName = null;
        user.LanguageCode = null;
        user.FaceBlobKey = null;
        user.FaceFileId = null;
        user.LastTargetBlobKey = null;
        user.MediaGroupId = null;
        user.Step = ConversationStep.AwaitingFace;
        await log.AddAsync(user.Id, ModerationAction.DataDeleted, user.Id, null, null, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);

        // The write-ahead log still holds the old pages until a checkpoint copies them back; truncating it now means
        // the deleted content is gone from the files at once (secure_delete zeroed it in the database pages).
        // PostgreSQL has no such step: autovacuum reclaims the dead rows, and they are unreachable through SQL meanwhile.
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", cancellationToken);
        }
        logger.LogInformation("User {UserId} deleted their data: {Jobs} jobs, {QueueEntries} queue entries, {Photos} photos, {Updates} stored updates",
            user.Id, jobs.Count, queueEntries, photos, updates.Count);
    }
}
