using FaceSwap.BotApi.Conversation;
using FaceSwap.BotApi.Credits;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Jobs;
using FaceSwap.BotApi.Media;
using FaceSwap.BotApi.Telegram;
using FaceSwap.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Web;

/// <summary>
/// Swaps asked for on the web: the same intake (<see cref="PhotoIntake"/>), queue (<see cref="JobQueue"/>), engine,
/// gates, credits and limits as the chat's; only where the result goes differs (<see cref="JobOrigin.Web"/>).
/// </summary>
public sealed class WebSwaps(FaceSwapDbContext db, PhotoIntake photos, JobQueue jobs, CreditLedger ledger, BlobStore blobs, BotMessenger messenger,
    MediaUrlSigner signer, IOptions<SwapLimitsOptions> limits, IOptions<AiLabelOptions> aiLabel)
{
    /// <summary>Takes both photos through the chat's checks and queues the swap; a refusal is the chat's own words.</summary>
    public async Task<(SwapJob? Job, string? Refusal)> StartAsync(BotUser user, byte[]? face, long? savedFaceId, byte[] target,
        CancellationToken cancellationToken)
    {
        var texts = new BotTexts(user.LanguageCode);
        PhotoIntakeResult faceTaken;
        if (face is not null)
        {
            faceTaken = await photos.TakeAsync(user, face, texts, cancellationToken);
        }
        else if (await db.SavedFaces.AsNoTracking().SingleOrDefaultAsync(f => f.Id == savedFaceId && f.UserId == user.Id, cancellationToken) is { } saved)
        {
            // Fetched again from Telegram and checked again, as the chat's "use this face" button does.
            faceTaken = await photos.TakeAsync(user, new TelegramPhoto(saved.FileId), texts, cancellationToken);
        }
        else
        {
            return (null, "Pick a face photo, or one of your saved faces.");
        }

        if (faceTaken.BlobKey is not { } faceKey)
        {
            return (null, faceTaken.Refusal);
        }

        var targetTaken = await photos.TakeAsync(user, target, texts, cancellationToken);
        if (targetTaken.BlobKey is not { } targetKey)
        {
            return (null, targetTaken.Refusal);
        }

        // No "which face?" question on the web: the largest face is replaced, as the chat does when not asking.
        var result = await jobs.EnqueueAsync(user, faceKey, targetKey, TargetFaceSelection.Largest, askWhenSeveralFaces: false, cancellationToken,
            JobOrigin.Web);
        return result.Outcome switch
        {
            EnqueueOutcome.AlreadyRunning => (null, texts["AlreadyRunning"]),
            EnqueueOutcome.HourlyLimit => (null, texts.Format("HourlyLimit", limits.Value.MaxPerHour)),
            EnqueueOutcome.NoCredits => (null, texts["NoCredits"]),
            _ => (result.Job, null),
        };
    }

    public async Task<WebSwapView?> FindAsync(long userId, string jobId, CancellationToken cancellationToken) =>
        await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId && j.UserId == userId, cancellationToken) is { } job
            ? await ViewAsync(job, cancellationToken)
            : null;

    /// <summary>The last 10 swaps, chat and web alike, as <c>/history</c> lists them.</summary>
    public async Task<IReadOnlyList<WebSwapView>> HistoryAsync(long userId, CancellationToken cancellationToken)
    {
        var recent = await db.Jobs.AsNoTracking().Where(j => j.UserId == userId).OrderByDescending(j => j.CreatedAt).Take(10).ToListAsync(cancellationToken);
        var views = new List<WebSwapView>(recent.Count);
        foreach (var job in recent)
        {
            views.Add(await ViewAsync(job, cancellationToken));
        }

        return views;
    }

    /// <summary>"Send to my chat": the kept result goes to the user's chat with the chat's caption and buttons, once.</summary>
    public async Task<bool> SendToChatAsync(BotUser user, string jobId, CancellationToken cancellationToken)
    {
        var job = await db.Jobs.SingleOrDefaultAsync(j => j.Id == jobId && j.UserId == user.Id && j.Status == JobStatus.Succeeded, cancellationToken);
        if (job is null || await blobs.GetAsync(QueueNames.ResultBlobKey(job.Id), cancellationToken) is not { } image)
        {
            return false;
        }

        if (job.ResultFileId is not null)
        {
            return true; // already in the chat
        }

        var texts = new BotTexts(user.LanguageCode);
        var balance = await ledger.BalanceAsync(user.Id, cancellationToken);
        var sent = await messenger.SendPhotoAsync(user.ChatId, image, texts.Format("ResultCaption", balance),
            ConversationKeyboards.AfterResult(texts, job.Id), cancellationToken);
        job.ResultFileId = sent.Photo?.LastOrDefault()?.FileId;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private async Task<WebSwapView> ViewAsync(SwapJob job, CancellationToken cancellationToken)
    {
        // Only while the result is kept (Blobs:ResultTimeToLive), and only through a signed, expiring /media URL.
        var key = QueueNames.ResultBlobKey(job.Id);
        var resultUrl = job.Status == JobStatus.Succeeded && await blobs.GetAsync(key, cancellationToken) is not null ? signer.CreatePath(key) : null;
        var texts = new BotTexts(null);
        var failure = job.FailureReason is { } reason ? texts.Format("Failed", texts["Reason_" + reason]) : null;
        return new WebSwapView(job.Id, job.Status.ToString(), job.CreatedAt, resultUrl, failure,
            job.Status == JobStatus.Succeeded ? aiLabel.Value.VisibleMarkText : null, job.ResultFileId is not null);
    }
}
