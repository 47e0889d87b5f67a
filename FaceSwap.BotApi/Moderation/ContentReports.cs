using System.Globalization;
using FaceSwap.BotApi.Conversation;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Media;
using FaceSwap.BotApi.Operations;
using FaceSwap.BotApi.Telegram;
using FaceSwap.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Moderation;

/// <summary>
/// /report and the report button under a result: the job's id and its photos go to the operators' alert chat
/// (<c>Ops:AlertChatId</c>), and the report is logged. Photos live in Redis for an hour, so a later report carries
/// the ids only; the runbook (docs/operations/content-moderation.md) says what operators do next.
/// </summary>
public sealed class ContentReports(
    FaceSwapDbContext db,
    ModerationLog log,
    BlobStore blobs,
    BotMessenger messenger,
    IOptions<OpsOptions> ops,
    FaceSwapMetrics metrics,
    ILogger<ContentReports> logger)
{
    /// <summary>Reports the user's job <paramref name="jobId"/>, or their latest result when null.</summary>
    public async Task ReportAsync(BotUser user, BotTexts texts, string? jobId, string? details, CancellationToken cancellationToken)
    {
        var jobs = db.Jobs.Where(j => j.UserId == user.Id);
        var job = jobId is not null
            ? await jobs.SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken)
            : await jobs.Where(j => j.Status == JobStatus.Succeeded).OrderByDescending(j => j.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        if (job is null)
        {
            await messenger.SendTextAsync(user.ChatId, texts["ReportNothing"], cancellationToken: cancellationToken);
            return;
        }

        if (await log.AddAsync(user.Id, ModerationAction.Reported, user.Id, job.Id, details, cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
            metrics.ReportReceived();
        }

        // On every attempt at the update, not only the one that logged it: the messenger sends only what an earlier
        // attempt did not (Telegram/SentReplyLog.cs), so photos a crash cut off still reach the operators, once.
        await TellOperatorsAsync(user, job, details, cancellationToken);

        await messenger.SendTextAsync(user.ChatId, texts["ReportThanks"], cancellationToken: cancellationToken);
    }

    private async Task TellOperatorsAsync(BotUser user, SwapJob job, string? details, CancellationToken cancellationToken)
    {
        if (ops.Value.AlertChatId is not { } chat)
        {
            logger.LogWarning("Report about job {JobId} by user {UserId} logged; Ops:AlertChatId is not set, so no operator was told", job.Id, user.Id);
            return;
        }

        var summary = string.Create(CultureInfo.InvariantCulture,
            $"Report: job {job.Id} of user {user.Id}, made {job.CreatedAt:yyyy-MM-dd HH:mm} UTC, {job.Status}.{(details is null ? "" : $" They say: {details}")}\nBan with: /ban {user.Id} <reason>");
        await messenger.SendTextAsync(chat, summary, cancellationToken: cancellationToken);
        foreach (var (key, name) in new[] { (job.FaceBlobKey, "face"), (job.TargetBlobKey, "target"), (QueueNames.ResultBlobKey(job.Id), "result") })
        {
            var image = await blobs.GetAsync(key, cancellationToken);
            await (image is null
                ? messenger.SendTextAsync(chat, $"{name} of job {job.Id}: no longer stored", cancellationToken: cancellationToken)
                : messenger.SendPhotoAsync(chat, image, $"{name} of job {job.Id}", null, cancellationToken));
        }
    }
}
