using System.Text.Json;
using FaceSwap.BotApi.Conversation;
using FaceSwap.BotApi.Credits;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Media;
using FaceSwap.BotApi.Telegram;
using FaceSwap.Contracts;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace FaceSwap.BotApi.Jobs;

/// <summary>
/// Consumes <c>faceswap:results</c>: marks the job, keeps or refunds its credit, and tells the user. A result is
/// acknowledged only after the user was told, and each job's effects happen once however often it is delivered.
/// </summary>
public sealed class ResultsWorker(IServiceScopeFactory scopeFactory, IConnectionMultiplexer redis, TimeProvider time,
    ILogger<ResultsWorker> logger) : BackgroundService
{
    private const string ConsumerName = "botapi";
    private const int DeliveriesInParallel = 8;
    private readonly SemaphoreSlim _nudge = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await SubscribeAsync(stoppingToken);
        // First our own pending entries (delivered before a restart but not acknowledged), then new ones.
        var readFrom = "0";
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var database = redis.GetDatabase();
                await EnsureGroupAsync(database);
                var entries = await database.StreamReadGroupAsync(QueueNames.Results, QueueNames.BotApiGroup, ConsumerName, readFrom, count: 20);
                if (entries.Length == 0)
                {
                    if (readFrom == "0")
                    {
                        readFrom = ">";
                        continue;
                    }

                    await WaitForNudgeAsync(stoppingToken);
                    continue;
                }

                // Delivering a result waits on Telegram (an upload of the photo), so several jobs are delivered at once;
                // entries of one job (a retried job's second result) stay in order, so its effects still happen once.
                await Parallel.ForEachAsync(entries.Select(entry => (Entry: entry, Result: Parse(entry))).GroupBy(e => e.Result?.JobId ?? e.Entry.Id.ToString()),
                    new ParallelOptions { MaxDegreeOfParallelism = DeliveriesInParallel, CancellationToken = stoppingToken },
                    async (jobEntries, ct) =>
                    {
                        foreach (var (entry, result) in jobEntries)
                        {
                            await HandleEntryAsync(database, entry, result, ct);
                        }
                    });
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Reading results failed; retrying");
                readFrom = "0";
                await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken);
            }
        }
    }

    private static SwapResultMessage? Parse(StreamEntry entry)
    {
        var payload = entry["payload"];
        return payload.IsNullOrEmpty ? null : JsonSerializer.Deserialize<SwapResultMessage>(payload.ToString());
    }

    private async Task HandleEntryAsync(IDatabase database, StreamEntry entry, SwapResultMessage? result, CancellationToken cancellationToken)
    {
        if (result is not null)
        {
            using var activity = Inbox.InboxWorker.ActivitySource.StartActivity("deliver result", System.Diagnostics.ActivityKind.Consumer, result.TraceParent);
            activity?.SetTag("faceswap.job_id", result.JobId);
            Operations.FaceSwapMetrics.RecordResult(result);
            await using var scope = scopeFactory.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<SwapResultHandler>().HandleAsync(result, cancellationToken);
        }

        await database.StreamAcknowledgeAsync(QueueNames.Results, QueueNames.BotApiGroup, entry.Id);
    }

    private async Task SubscribeAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(QueueNames.ResultsNudge), (_, _) =>
                {
                    try
                    {
                        _nudge.Release();
                    }
                    catch (SemaphoreFullException)
                    {
                        // already nudged
                    }
                });
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                logger.LogWarning(ex, "Could not subscribe to result nudges; retrying");
                await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken);
            }
        }
    }

    /// <summary>StackExchange.Redis cannot block on XREADGROUP (one shared connection), so idle waits on a nudge, polling slowly as a fallback.</summary>
    private Task WaitForNudgeAsync(CancellationToken cancellationToken) => _nudge.WaitAsync(TimeSpan.FromSeconds(1), cancellationToken);

    internal static async Task EnsureGroupAsync(IDatabase database)
    {
        try
        {
            await database.StreamCreateConsumerGroupAsync(QueueNames.Results, QueueNames.BotApiGroup, "0", createStream: true);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // The group exists.
        }
    }
}

/// <summary>The effects of one job's result, each at most once.</summary>
public sealed class SwapResultHandler(FaceSwapDbContext db, CreditLedger ledger, BlobStore blobs, BotMessenger messenger,
    TimeProvider time, ILogger<SwapResultHandler> logger)
{
    public async Task HandleAsync(SwapResultMessage result, CancellationToken cancellationToken)
    {
        var job = await db.Jobs.SingleOrDefaultAsync(j => j.Id == result.JobId, cancellationToken);
        if (job is null || job.DeliveredAt is not null)
        {
            return; // unknown, or already told: a redelivered result has no effect
        }

        var user = await db.Users.SingleAsync(u => u.Id == job.UserId, cancellationToken);
        var texts = new BotTexts(user.LanguageCode);
        if (result.FailureReason == SwapFailureReason.ChooseTargetFace && result.PreviewBlobKey is not null &&
            await blobs.GetAsync(result.PreviewBlobKey, cancellationToken) is { } preview)
        {
            await AskWhichFaceAsync(job, texts, preview, result.FacesFound, cancellationToken);
            return;
        }

        var image = result.Succeeded && result.ResultBlobKey is not null ? await blobs.GetAsync(result.ResultBlobKey, cancellationToken) : null;
        var succeeded = image is not null;
        var reason = succeeded ? (SwapFailureReason?)null : result.FailureReason ?? SwapFailureReason.InputExpired;

        if (job.Status is JobStatus.Queued or JobStatus.Dispatched)
        {
            job.Status = succeeded ? JobStatus.Succeeded : JobStatus.Failed;
            job.FailureReason = reason?.ToString();
            job.CompletedAt = time.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }

        if (!succeeded)
        {
            await ledger.CreditAsync(job.UserId, 1, CreditEntryKind.Refund, JobQueue.RefundReference(job.Id), cancellationToken);
        }

        // The photo first: it is what the user waits for; the status line is tidied up after it.
        if (succeeded)
        {
            var balance = await ledger.BalanceAsync(job.UserId, cancellationToken);
            var sent = await messenger.SendPhotoAsync(job.ChatId, image!, texts.Format("ResultCaption", balance),
                ConversationKeyboards.AfterResult(texts, job.Id), cancellationToken);
            job.ResultFileId = sent.Photo?.LastOrDefault()?.FileId;
            job.DeliveredAt = time.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken); // delivered: a redelivered result now sends nothing again
        }
        else if (job.StatusMessageId is null)
        {
            await messenger.SendTextAsync(job.ChatId, texts.Format("Failed", texts["Reason_" + reason]), cancellationToken: cancellationToken);
        }

        if (job.StatusMessageId is { } statusMessageId)
        {
            await TryEditStatusAsync(job.ChatId, statusMessageId, succeeded ? texts["Done"] : texts.Format("Failed", texts["Reason_" + reason]), cancellationToken);
        }

        job.DeliveredAt ??= time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Job {JobId} {Outcome} after {Attempts} attempt(s), engine {EngineMs:F0} ms",
            job.Id, succeeded ? "succeeded" : $"failed ({reason})", result.Attempts, result.EngineMs);
    }

    /// <summary>Nothing was swapped yet: the credit comes back, and the user's answer starts a new job.</summary>
    private async Task AskWhichFaceAsync(SwapJob job, BotTexts texts, byte[] preview, int faces, CancellationToken cancellationToken)
    {
        if (job.Status is JobStatus.Queued or JobStatus.Dispatched)
        {
            job.Status = JobStatus.AwaitingChoice;
            job.CompletedAt = time.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }

        await ledger.CreditAsync(job.UserId, 1, CreditEntryKind.Refund, JobQueue.RefundReference(job.Id), cancellationToken);
        if (job.StatusMessageId is { } statusMessageId)
        {
            await TryEditStatusAsync(job.ChatId, statusMessageId, texts.Format("ChooseFace", faces), cancellationToken);
        }

        await messenger.SendPhotoAsync(job.ChatId, preview, texts.Format("ChooseFace", faces),
            ConversationKeyboards.ChooseFace(texts, job.Id, faces), cancellationToken);
        job.DeliveredAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task TryEditStatusAsync(long chatId, int messageId, string text, CancellationToken cancellationToken)
    {
        try
        {
            await messenger.EditTextAsync(chatId, messageId, text, cancellationToken);
        }
        catch (global::Telegram.Bot.Exceptions.ApiRequestException ex)
        {
            // The status line is a courtesy; the result itself follows. ("message is not modified" after a redelivery.)
            logger.LogDebug(ex, "Could not edit status message {MessageId}", messageId);
        }
    }
}
