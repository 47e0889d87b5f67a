using System.Diagnostics;
using FaceSwap.BotApi.Conversation;
using FaceSwap.BotApi.Credits;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Media;
using FaceSwap.BotApi.Telegram;
using FaceSwap.Contracts;
using FaceSwap.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Jobs;

/// <summary>
/// One result from <c>faceswap:results</c>: the job's new status with its credit kept or refunded, then the user told.
/// Each job's effects happen once however often its result is delivered. A result Telegram refuses for good (the
/// user blocked the bot) is refunded and set aside at once; a passing Telegram failure is retried later, while other
/// results flow. With several replicas a result is delivered under its chat's lease (<see cref="Data.Leases.LeaseStore"/>).
/// </summary>
public sealed class SwapResultHandler(FaceSwapDbContext db, SwapJobLifecycle lifecycle, CreditLedger ledger, BlobStore blobs,
    BotMessenger messenger, UserReachability reachability, Data.Leases.LeaseStore leases, IOptions<AiLabelOptions> aiLabel, TimeProvider time,
    Operations.FaceSwapMetrics metrics, ILogger<SwapResultHandler> logger)
    : IStreamEntryHandler<SwapResultMessage>
{
    public string KeyOf(SwapResultMessage message) => message.JobId;

    public async Task<StreamEntryOutcome> HandleAsync(SwapResultMessage result, StreamDelivery delivery, CancellationToken cancellationToken)
    {
        using var activity = Inbox.InboxWorker.ActivitySource.StartActivity("deliver result", ActivityKind.Consumer, result.TraceParent);
        activity?.SetTag("faceswap.job_id", result.JobId);
        activity?.SetTag("faceswap.outcome", result.Outcome.ToString());
        activity?.SetTag("faceswap.engine", result.Engine);
        activity?.SetTag("faceswap.delivery", delivery.DeliveryCount);
        activity?.DisplayName = $"deliver result ({result.Outcome})";
        var job = await db.Jobs.SingleOrDefaultAsync(j => j.Id == result.JobId, cancellationToken);
        if (job is null)
        {
            // The user deleted their data while the swap ran: its images go too, not after their time to live.
            await blobs.DeleteAsync(new[] { result.ResultBlobKey, result.PreviewBlobKey }.OfType<string>().ToArray());
            return StreamEntryOutcome.Done;
        }

        // Two deliveries of one job's result (a redelivery racing the first) may reach two replicas at once: the one
        // holding the chat's lease tells the user; the other tries again after ClaimAfter and finds the job delivered.
        // The lease is not given back here (this replica's inbox worker may be in the chat's turn); it runs out.
        if (!await leases.TryHoldChatAsync(job.ChatId, cancellationToken))
        {
            return StreamEntryOutcome.Retry;
        }

        await db.Entry(job).ReloadAsync(cancellationToken); // as it is now that the chat is this replica's
        if (job.DeliveredAt is not null)
        {
            return StreamEntryOutcome.Done; // already told: a redelivered result has no effect
        }

        if (delivery.DeliveryCount == 1)
        {
            metrics.RecordResult(result);
        }

        var user = await db.Users.SingleAsync(u => u.Id == job.UserId, cancellationToken);
        var texts = new BotTexts(user.LanguageCode);
        try
        {
            switch (result.Outcome)
            {
                case SwapOutcome.NeedsFaceChoice when result.PreviewBlobKey is not null &&
                                                      await blobs.GetAsync(result.PreviewBlobKey, cancellationToken) is { } preview:
                    await AskWhichFaceAsync(job, user, texts, preview, result.FacesFound, cancellationToken);
                    break;
                case SwapOutcome.Swapped when result.ResultBlobKey is not null &&
                                              await blobs.GetAsync(result.ResultBlobKey, cancellationToken) is { } image:
                    await DeliverAsync(job, user, texts, image, result.ResultBlobKey, result.Engine, cancellationToken);
                    break;
                default:
                    await ExplainFailureAsync(job, user, texts, result.Outcome == SwapOutcome.Failed ? result.FailureReason ?? SwapFailureReason.EngineError
                        : SwapFailureReason.InputExpired, cancellationToken);
                    break;
            }
        }
        catch (Exception ex) when (TelegramFailures.IsFinal(ex))
        {
            await SetAsideAsync(job, ex, cancellationToken);
            return StreamEntryOutcome.Done;
        }

        logger.LogInformation("Job {JobId} {Outcome} after {Attempts} attempt(s), engine {EngineMs:F0} ms",
            job.Id, result.Outcome == SwapOutcome.Failed ? $"failed ({result.FailureReason})" : result.Outcome.ToString(), result.Attempts, result.EngineMs);
        return StreamEntryOutcome.Done;
    }

    /// <summary>
    /// The processor gave up on the job; its result stream entry is set aside too. The job's credit comes back and the
    /// user hears it failed.
    /// </summary>
    public async Task OnDeadLetterAsync(SwapResultMessage result, StreamDelivery delivery, string reason, CancellationToken cancellationToken)
    {
        var job = await db.Jobs.SingleOrDefaultAsync(j => j.Id == result.JobId, cancellationToken);
        if (job is null || job.DeliveredAt is not null)
        {
            return;
        }

        logger.LogError("Result of job {JobId} could not be delivered ({Reason}); refunding it", job.Id, reason);
        // In progress, swapped or asked about: refunded now; a failed or superseded job was refunded already.
        await lifecycle.MarkUndeliverableAsync(job, reason, cancellationToken);

        job.DeliveredAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task DeliverAsync(SwapJob job, BotUser user, BotTexts texts, byte[] image, string resultKey, string? engine,
        CancellationToken cancellationToken)
    {
        if (user.UnreachableSince is not null && job.Origin == JobOrigin.Chat)
        {
            throw new ChatUnreachableException(job.ChatId, "the user blocked the bot earlier", new InvalidOperationException("not sent"));
        }

        await lifecycle.SucceedAsync(job, cancellationToken);
        // The machine-readable AI mark (EU AI Act Art. 50(2)): in the stored result, so the full-quality file sent "as file"
        // carries it. Telegram re-encodes photos and drops their metadata, so the photo's caption says it in words too.
        // Labelled from the job's completion time, so a redelivery writes the same bytes.
        if (aiLabel.Value.VisibleMark && !AiContentLabel.IsLabelled(image))
        {
            image = AiContentLabel.DrawVisibleMark(image, aiLabel.Value.VisibleMarkText); // before the XMP: it re-encodes
        }

        image = AiContentLabel.Apply(image, AiContentLabelOptions.ForEngine(engine ?? "unknown", ServiceDefaults.BuildInfo.Version,
            job.CompletedAt ?? time.GetUtcNow()));
        await blobs.ReplaceResultAsync(resultKey, image, cancellationToken);
        if (job.Origin == JobOrigin.Web)
        {
            // The web page fetches it through a signed media URL; the chat gets it only from "send to my chat" (Web/).
            job.DeliveredAt = time.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        // The photo first: it is what the user waits for; the status line is tidied up after it.
        var balance = await ledger.BalanceAsync(job.UserId, cancellationToken);
        var sent = await messenger.SendPhotoAsync(job.ChatId, image, texts.Format("ResultCaption", balance),
            ConversationKeyboards.AfterResult(texts, job.Id), cancellationToken);
        job.ResultFileId = sent.Photo?.LastOrDefault()?.FileId;
        job.DeliveredAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken); // delivered: a redelivered result now sends nothing again
        await TryEditStatusAsync(job, texts["Done"], cancellationToken);
    }

    private async Task ExplainFailureAsync(SwapJob job, BotUser user, BotTexts texts, SwapFailureReason reason, CancellationToken cancellationToken)
    {
        await lifecycle.FailAsync(job, reason, cancellationToken);
        var text = texts.Format("Failed", texts["Reason_" + reason]);
        if (user.UnreachableSince is null && job.Origin == JobOrigin.Chat) // a web swap's page shows the reason
        {
            if (job.StatusMessageId is null)
            {
                await messenger.SendTextAsync(job.ChatId, text, cancellationToken: cancellationToken);
            }
            else
            {
                await TryEditStatusAsync(job, text, cancellationToken);
            }
        }

        job.DeliveredAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Nothing is swapped yet: the credit stays with the job, and the user's answer queues it again for that face.</summary>
    private async Task AskWhichFaceAsync(SwapJob job, BotUser user, BotTexts texts, byte[] preview, int faces, CancellationToken cancellationToken)
    {
        if (user.UnreachableSince is not null)
        {
            throw new ChatUnreachableException(job.ChatId, "the user blocked the bot earlier", new InvalidOperationException("not sent"));
        }

        await lifecycle.AwaitChoiceAsync(job, cancellationToken);
        await TryEditStatusAsync(job, texts.Format("ChooseFace", faces), cancellationToken);
        await messenger.SendPhotoAsync(job.ChatId, preview, texts.Format("ChooseFace", faces),
            ConversationKeyboards.ChooseFace(texts, job.Id, faces), cancellationToken);
        job.DeliveredAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Telegram refused for good: the user got nothing, so the credit comes back; nothing is retried.</summary>
    private async Task SetAsideAsync(SwapJob job, Exception failure, CancellationToken cancellationToken)
    {
        if (failure is ChatUnreachableException unreachable)
        {
            await reachability.MarkUnreachableAsync(job.ChatId, unreachable.Reason, cancellationToken);
        }

        logger.LogWarning("Result of job {JobId} is undeliverable: {Reason}; the credit is refunded", job.Id, failure.Message);
        metrics.ResultUndeliverable();
        // A failed job was refunded already; a swapped or asked-about one is refunded now.
        await lifecycle.MarkUndeliverableAsync(job, failure.Message, cancellationToken);
        job.DeliveredAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task TryEditStatusAsync(SwapJob job, string text, CancellationToken cancellationToken)
    {
        if (job.StatusMessageId is not { } statusMessageId)
        {
            return;
        }

        try
        {
            await messenger.EditTextAsync(job.ChatId, statusMessageId, text, cancellationToken);
        }
        catch (Exception ex) when (ex is global::Telegram.Bot.Exceptions.ApiRequestException or ChatUnreachableException)
        {
            // The status line is a courtesy; the result itself follows. ("message is not modified" after a redelivery.)
            logger.LogDebug(ex, "Could not edit status message {MessageId}", statusMessageId);
        }
    }
}
