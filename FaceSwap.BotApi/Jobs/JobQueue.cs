using System.Diagnostics;
using System.Text.Json;
using FaceSwap.BotApi.Credits;
using FaceSwap.BotApi.Data;
using FaceSwap.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Jobs;

/// <summary>
/// Creates a swap job: the credit spend, the job row and its outbox message commit in one transaction, so a job
/// exists exactly when it is paid for and will be dispatched.
/// </summary>
public sealed class JobQueue(FaceSwapDbContext db, CreditLedger ledger, SwapJobLifecycle lifecycle, OutboxNudge outbox, TimeProvider time,
    IOptions<SwapLimitsOptions> limits, IOptions<JobSweeperOptions> sweeper, Inbox.CurrentUpdate currentUpdate,
    Operations.FaceSwapMetrics metrics)
{

    public async Task<EnqueueResult> EnqueueAsync(BotUser user, string faceBlobKey, string targetBlobKey, TargetFaceSelection selection,
        bool askWhenSeveralFaces, CancellationToken cancellationToken, JobOrigin origin = JobOrigin.Chat)
    {
        // One job per update: the id comes from the update, so handling it again finds the job instead of paying twice.
        var jobId = currentUpdate.UpdateId is { } updateId ? JobIdFor(updateId) : Guid.NewGuid().ToString("N");
        if (currentUpdate.UpdateId is not null && await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken) is { } existing)
        {
            return new(EnqueueOutcome.AlreadyCreated, existing);
        }

        var hourAgo = time.GetUtcNow().AddHours(-1);
        if (await db.Jobs.CountAsync(j => j.UserId == user.Id && j.CreatedAt > hourAgo, cancellationToken) >= limits.Value.MaxPerHour)
        {
            return new(EnqueueOutcome.HourlyLimit);
        }

        // A job the sweeper has given up on by now is not "running", whatever its row says: it never locks the user out.
        var runningSince = time.GetUtcNow() - sweeper.Value.GiveUpAfter;
        if (await db.Jobs.AnyAsync(j => j.UserId == user.Id && SwapJob.InProgress.Contains(j.Status) && j.CreatedAt > runningSince, cancellationToken))
        {
            return new(EnqueueOutcome.AlreadyRunning);
        }

        // A new swap replaces a "which face?" left unanswered; its credit comes back below, in the same transaction.
        var unanswered = await db.Jobs.Where(j => j.UserId == user.Id && j.Status == JobStatus.AwaitingChoice).ToListAsync(cancellationToken);

        var job = new SwapJob
        {
            Id = jobId,
            UserId = user.Id,
            ChatId = user.ChatId,
            FaceBlobKey = faceBlobKey,
            TargetBlobKey = targetBlobKey,
            Selection = JsonSerializer.Serialize(selection),
            CreatedAt = time.GetUtcNow(),
            TraceParent = Activity.Current?.Id,
            Origin = origin,
        };

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var replaced in unanswered)
        {
            await lifecycle.SupersedeAsync(replaced, cancellationToken);
        }

        if (!await ledger.TrySpendAsync(user.Id, 1, SpendReference(job.Id), cancellationToken))
        {
            await transaction.CommitAsync(cancellationToken); // the superseded choice's refund stands
            return new(EnqueueOutcome.NoCredits);
        }

        db.Jobs.Add(job);
        lifecycle.AddToOutbox(job, SwapJobLifecycle.MessageFor(job, askWhenSeveralFaces));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outbox.Notify();
        metrics.SwapQueued();

        var position = await db.Jobs.CountAsync(j => SwapJob.InProgress.Contains(j.Status) && j.CreatedAt <= job.CreatedAt && j.CreatedAt > runningSince, cancellationToken);
        return new(EnqueueOutcome.Queued, job, position);
    }

    public static string JobIdFor(long updateId) => "update-" + updateId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string SpendReference(string jobId) => $"job:{jobId}:spend";

    public static string RefundReference(string jobId) => $"job:{jobId}:refund";
}
