using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Jobs;
using FaceSwap.BotApi.Media;
using FaceSwap.BotApi.Moderation;
using FaceSwap.BotApi.Telegram;
using FaceSwap.Contracts;
using Microsoft.EntityFrameworkCore;

namespace FaceSwap.BotApi.Conversation.Callbacks;

/// <summary>The buttons of a job and its result: which face to swap, the result as a file, and reporting it.</summary>
public sealed class ResultButtons(FaceSwapDbContext db, BlobStore blobs, BotMessenger messenger, SwapJobLifecycle lifecycle, ContentReports reports)
{
    /// <summary>The answer to "which face?": the same job, paid once, queued again for that face or all of them.</summary>
    public async Task<string?> PickFaceAsync(CallbackRequest request, CancellationToken cancellationToken)
    {
        var (user, texts) = (request.User, request.Texts);
        var parts = request.Argument.Split(':', 2);
        var job = parts.Length == 2
            ? await db.Jobs.SingleOrDefaultAsync(j => j.Id == parts[0] && j.UserId == user.Id && j.Status == JobStatus.AwaitingChoice, cancellationToken)
            : null;
        TargetFaceSelection? selection = parts.Length < 2 ? null
            : parts[1] == ConversationKeyboards.PickAll ? TargetFaceSelection.AllFaces
            : int.TryParse(parts[1], out var index) && index >= 0 ? TargetFaceSelection.At(index)
            : null;
        if (job is null || selection is null)
        {
            return null; // an old or foreign button: nothing to do
        }

        if (await lifecycle.RequeueAsync(job, selection, cancellationToken))
        {
            var status = await messenger.SendTextAsync(user.ChatId, texts.Format("Queued", 1), cancellationToken: cancellationToken);
            job.StatusMessageId = status.MessageId;
            await db.SaveChangesAsync(cancellationToken);
        }

        return null;
    }

    public async Task<string?> SendAsFileAsync(CallbackRequest request, CancellationToken cancellationToken)
    {
        var (user, jobId) = (request.User, request.Argument);
        var job = await db.Jobs.SingleOrDefaultAsync(j => j.Id == jobId && j.UserId == user.Id, cancellationToken);
        var image = job is null ? null : await blobs.GetAsync(QueueNames.ResultBlobKey(job.Id), cancellationToken);
        if (image is null)
        {
            await messenger.SendTextAsync(user.ChatId, request.Texts["Reason_InputExpired"], cancellationToken: cancellationToken);
            return null;
        }

        await messenger.SendDocumentAsync(user.ChatId, image, $"faceswap-{jobId[..8]}.jpg", cancellationToken);
        return null;
    }

    public async Task<string?> ReportAsync(CallbackRequest request, CancellationToken cancellationToken)
    {
        await reports.ReportAsync(request.User, request.Texts, request.Argument, null, cancellationToken);
        return null;
    }
}
