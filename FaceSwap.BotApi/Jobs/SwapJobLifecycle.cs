using System.Text.Json;
using FaceSwap.BotApi.Credits;
using FaceSwap.BotApi.Data;
using FaceSwap.Contracts;
using Microsoft.EntityFrameworkCore;

namespace FaceSwap.BotApi.Jobs;

/// <summary>
/// The one owner of a swap job's life after it was paid for (<see cref="JobQueue"/> creates it): every change of
/// status goes through here, with what must go with it in the same transaction: the refund when the user ends up with
/// nothing, the outbox message when the job goes back on the queue. Each change happens at most once.
/// </summary>
public sealed class SwapJobLifecycle(FaceSwapDbContext db, CreditLedger ledger, OutboxNudge outbox, TimeProvider time)
{
    public Task<bool> SucceedAsync(SwapJob job, CancellationToken cancellationToken) =>
        CommitAsync(job, job.Succeed(time.GetUtcNow()), refund: false, cancellationToken);

    /// <summary>No swap: the credit comes back.</summary>
    public Task<bool> FailAsync(SwapJob job, SwapFailureReason reason, CancellationToken cancellationToken) =>
        CommitAsync(job, job.Fail(reason.ToString(), time.GetUtcNow()), refund: true, cancellationToken);

    /// <summary>The user is asked which face; the credit stays with the job until they answer (or never do).</summary>
    public Task<bool> AwaitChoiceAsync(SwapJob job, CancellationToken cancellationToken) =>
        CommitAsync(job, job.AwaitChoice(time.GetUtcNow()), refund: false, cancellationToken);

    /// <summary>Telegram will not take the result to the user: they got nothing, so the credit comes back.</summary>
    public Task<bool> MarkUndeliverableAsync(SwapJob job, string reason, CancellationToken cancellationToken) =>
        CommitAsync(job, job.MarkUndeliverable(reason, time.GetUtcNow()), refund: true, cancellationToken);

    /// <summary>"Which face?" was never answered, or a new swap replaced it: the credit comes back.</summary>
    public Task<bool> SupersedeAsync(SwapJob job, CancellationToken cancellationToken) =>
        CommitAsync(job, job.Supersede(time.GetUtcNow()), refund: true, cancellationToken);

    public Task<bool> MarkRunningAsync(SwapJob job, CancellationToken cancellationToken) =>
        CommitAsync(job, job.MarkRunning(time.GetUtcNow()), refund: false, cancellationToken);

    /// <summary>The user picked a face: the same job, paid once, is queued again for that face.</summary>
    public async Task<bool> RequeueAsync(SwapJob job, TargetFaceSelection selection, CancellationToken cancellationToken)
    {
        var previous = await LatestMessageAsync(job, cancellationToken);
        if (!job.Requeue(JsonSerializer.Serialize(selection), time.GetUtcNow()))
        {
            return false;
        }

        var message = (previous ?? MessageFor(job)) with { Selection = selection, AskWhenSeveralFaces = false, EnqueuedAt = time.GetUtcNow() };
        return await CommitAsync(job, moved: true, refund: false, cancellationToken, message);
    }

    /// <summary>Stuck on the stream (its entry lost): the same job id goes on the queue again, so a late result is still one.</summary>
    public async Task<bool> RedispatchAsync(SwapJob job, CancellationToken cancellationToken)
    {
        var previous = await LatestMessageAsync(job, cancellationToken);
        if (!job.Redispatch(time.GetUtcNow()))
        {
            return false;
        }

        return await CommitAsync(job, moved: true, refund: false, cancellationToken, (previous ?? MessageFor(job)) with { EnqueuedAt = time.GetUtcNow() });
    }

    /// <summary>The message a new job goes on the queue with.</summary>
    public static SwapJobMessage MessageFor(SwapJob job, bool askWhenSeveralFaces = false) => new(job.Id, job.ChatId, job.FaceBlobKey,
        job.TargetBlobKey, JsonSerializer.Deserialize<TargetFaceSelection>(job.Selection) ?? TargetFaceSelection.Largest, ImageFormat.Jpeg,
        job.CreatedAt, TraceParent: job.TraceParent, AskWhenSeveralFaces: askWhenSeveralFaces);

    /// <summary>Adds the job's message to the outbox; the caller commits it together with the job.</summary>
    public void AddToOutbox(SwapJob job, SwapJobMessage message) => db.Outbox.Add(new OutboxMessage
    {
        Stream = QueueNames.Jobs,
        JobId = job.Id,
        Payload = JsonSerializer.Serialize(message),
        CreatedAt = time.GetUtcNow(),
    });

    private async Task<SwapJobMessage?> LatestMessageAsync(SwapJob job, CancellationToken cancellationToken)
    {
        var payload = await db.Outbox.AsNoTracking().Where(o => o.JobId == job.Id).OrderByDescending(o => o.Id).Select(o => o.Payload)
            .FirstOrDefaultAsync(cancellationToken);
        return payload is null ? null : JsonSerializer.Deserialize<SwapJobMessage>(payload);
    }

    private async Task<bool> CommitAsync(SwapJob job, bool moved, bool refund, CancellationToken cancellationToken, SwapJobMessage? enqueue = null)
    {
        if (!moved)
        {
            return false;
        }

        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await using (own)
        {
            if (enqueue is not null)
            {
                AddToOutbox(job, enqueue);
            }

            await db.SaveChangesAsync(cancellationToken);
            if (refund)
            {
                await ledger.CreditAsync(job.UserId, 1, CreditEntryKind.Refund, JobQueue.RefundReference(job.Id), cancellationToken);
            }

            if (own is not null)
            {
                await own.CommitAsync(cancellationToken);
            }
        }

        if (enqueue is not null)
        {
            outbox.Notify();
        }

        return true;
    }
}
