using System.Diagnostics;
using System.Text.Json;
using FaceSwap.Contracts;
using FaceSwap.Processor.Engines;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FaceSwap.Processor.Queue;

/// <summary>
/// Consumes <c>faceswap:jobs</c> in the <c>processors</c> group. A job is acknowledged only after its result is
/// on <c>faceswap:results</c>; jobs left pending by a dead processor are reclaimed after the visibility timeout;
/// a job delivered more than the maximum attempts goes to the dead-letter stream with a failure result.
/// </summary>
public sealed class SwapWorker(
    IConnectionMultiplexer redis,
    IFaceSwapEngine engine,
    IFaceDetector detector,
    IOptions<ProcessorOptions> options,
    ProcessorState state,
    TimeProvider time,
    ILogger<SwapWorker> logger) : BackgroundService
{
    public static readonly ActivitySource ActivitySource = new("FaceSwap");

    private readonly SemaphoreSlim _nudge = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var lastReclaim = DateTimeOffset.MinValue;
        var subscribed = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var database = redis.GetDatabase();
                if (!subscribed)
                {
                    await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(QueueNames.JobsNudge), (_, _) => Nudge());
                    subscribed = true;
                }

                await EnsureGroupAsync(database);
                state.MarkConsuming();

                StreamEntry[] entries;
                if (time.GetUtcNow() - lastReclaim > settings.VisibilityTimeout / 4)
                {
                    lastReclaim = time.GetUtcNow();
                    var claimed = await database.StreamAutoClaimAsync(QueueNames.Jobs, QueueNames.ProcessorGroup, settings.ConsumerName,
                        (long)settings.VisibilityTimeout.TotalMilliseconds, "0-0", count: 1);
                    entries = claimed.ClaimedEntries.Where(e => !e.IsNull).ToArray();
                    if (entries.Length > 0)
                    {
                        logger.LogWarning("Reclaimed job entry {EntryId} left pending by another processor", entries[0].Id);
                    }
                }
                else
                {
                    entries = [];
                }

                if (entries.Length == 0)
                {
                    entries = await database.StreamReadGroupAsync(QueueNames.Jobs, QueueNames.ProcessorGroup, settings.ConsumerName, ">", count: 1);
                }

                if (entries.Length == 0)
                {
                    // StackExchange.Redis does not block on XREADGROUP (one shared connection); the nudge wakes us early.
                    await _nudge.WaitAsync(settings.IdlePollInterval, stoppingToken);
                    continue;
                }

                foreach (var entry in entries)
                {
                    // The job in hand is finished even when shutdown starts: the host waits for it.
                    await ProcessAsync(database, entry, CancellationToken.None);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                subscribed = false;
                state.MarkFailed(ex.Message);
                logger.LogWarning(ex, "Job loop failed; retrying shortly");
                await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken);
            }
        }
    }

    private void Nudge()
    {
        try
        {
            _nudge.Release();
        }
        catch (SemaphoreFullException)
        {
            // already nudged
        }
    }

    internal async Task ProcessAsync(IDatabase database, StreamEntry entry, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var job = Deserialize(entry);
        if (job is null)
        {
            logger.LogError("Job entry {EntryId} has no readable payload; moving it to the dead-letter stream", entry.Id);
            await DeadLetterAsync(database, entry, "unreadable payload");
            return;
        }

        using var activity = ActivitySource.StartActivity("processor swap", ActivityKind.Consumer, job.TraceParent);
        activity?.SetTag("faceswap.job_id", job.JobId);
        var attempts = await DeliveryCountAsync(database, entry.Id);
        if (attempts > settings.MaxAttempts)
        {
            logger.LogError("Job {JobId} failed {Attempts} times; dead-lettering it", job.JobId, attempts - 1);
            await PublishResultAsync(database, job, null, SwapFailureReason.EngineError, $"failed {attempts - 1} times", 0, attempts - 1, activity);
            await DeadLetterAsync(database, entry, $"failed {attempts - 1} times");
            return;
        }

        await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(QueueNames.JobStarted), job.JobId);
        var queueWait = (time.GetUtcNow() - job.EnqueuedAt).TotalMilliseconds;
        var face = (byte[]?)await database.StringGetAsync(job.FaceBlobKey);
        var target = (byte[]?)await database.StringGetAsync(job.TargetBlobKey);
        if (face is null || target is null)
        {
            await PublishResultAsync(database, job, null, SwapFailureReason.InputExpired, "input photos expired", queueWait, attempts, activity);
            await database.StreamAcknowledgeAsync(QueueNames.Jobs, QueueNames.ProcessorGroup, entry.Id);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            if (job.AskWhenSeveralFaces && job.Selection.Mode == TargetFaceMode.Largest &&
                await AskWhichFaceAsync(database, job, target, queueWait, attempts, activity, cancellationToken))
            {
                await database.StreamAcknowledgeAsync(QueueNames.Jobs, QueueNames.ProcessorGroup, entry.Id);
                return;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.JobTimeout);
            var request = new SwapRequest(
                new EngineImage(face, job.FaceUrl is null ? null : new Uri(job.FaceUrl)),
                new EngineImage(target, job.TargetUrl is null ? null : new Uri(job.TargetUrl)),
                new SwapOptions(job.Selection, job.OutputFormat));
            var output = await engine.SwapAsync(request, timeout.Token);
            var engineMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var resultKey = QueueNames.ResultBlobKey(job.JobId);
            await database.StringSetAsync(resultKey, output.Image, settings.ResultTimeToLive);
            await PublishResultAsync(database, job, resultKey, null, null, queueWait, attempts, activity, engineMs);
            await database.StreamAcknowledgeAsync(QueueNames.Jobs, QueueNames.ProcessorGroup, entry.Id);
            state.RecordCompleted();
        }
        catch (FaceSwapException ex) when (!ex.IsTransient)
        {
            // Bad input: trying again cannot help, so the user hears why at once.
            logger.LogInformation("Job {JobId} refused: {Reason}", job.JobId, ex.Reason);
            await PublishResultAsync(database, job, null, ex.Reason, ex.Message, queueWait, attempts, activity,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            await database.StreamAcknowledgeAsync(QueueNames.Jobs, QueueNames.ProcessorGroup, entry.Id);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Left pending: after the visibility timeout this or another processor tries again, up to the maximum.
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            logger.LogError(ex, "Job {JobId} failed on attempt {Attempt}; it will be retried", job.JobId, attempts);
        }
    }

    /// <summary>When the target shows several faces, publishes a numbered preview instead of guessing.</summary>
    private async Task<bool> AskWhichFaceAsync(IDatabase database, SwapJobMessage job, byte[] target, double queueWait, int attempts,
        Activity? activity, CancellationToken cancellationToken)
    {
        var faces = await detector.DetectAsync(new EngineImage(target), cancellationToken);
        if (faces.Count < 2)
        {
            return false;
        }

        var previewKey = QueueNames.ResultBlobKey(job.JobId) + ":preview";
        await database.StringSetAsync(previewKey, FacePreview.Draw(target, faces), options.Value.ResultTimeToLive);
        var result = new SwapResultMessage(job.JobId, false, null, SwapFailureReason.ChooseTargetFace, $"{faces.Count} faces", queueWait, 0,
            attempts, activity?.Id ?? job.TraceParent, faces.Count, previewKey);
        await database.StreamAddAsync(QueueNames.Results, [new NameValueEntry("payload", JsonSerializer.Serialize(result)), new NameValueEntry("job", job.JobId)]);
        await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(QueueNames.ResultsNudge), job.JobId);
        return true;
    }

    private static SwapJobMessage? Deserialize(StreamEntry entry)
    {
        var payload = entry["payload"];
        try
        {
            return payload.IsNullOrEmpty ? null : JsonSerializer.Deserialize<SwapJobMessage>(payload.ToString());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task PublishResultAsync(IDatabase database, SwapJobMessage job, string? resultKey, SwapFailureReason? reason,
        string? detail, double queueWaitMs, int attempts, Activity? activity, double engineMs = 0)
    {
        var result = new SwapResultMessage(job.JobId, resultKey is not null, resultKey, reason, detail, queueWaitMs, engineMs, attempts,
            activity?.Id ?? job.TraceParent);
        await database.StreamAddAsync(QueueNames.Results, [new NameValueEntry("payload", JsonSerializer.Serialize(result)), new NameValueEntry("job", job.JobId)]);
        await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(QueueNames.ResultsNudge), job.JobId);
    }

    private async Task DeadLetterAsync(IDatabase database, StreamEntry entry, string reason)
    {
        var fields = entry.Values.Append(new NameValueEntry("dead_reason", reason)).Append(new NameValueEntry("dead_at", time.GetUtcNow().ToString("O"))).ToArray();
        await database.StreamAddAsync(QueueNames.DeadLetter, fields);
        await database.StreamAcknowledgeAsync(QueueNames.Jobs, QueueNames.ProcessorGroup, entry.Id);
    }

    private static async Task<int> DeliveryCountAsync(IDatabase database, RedisValue entryId)
    {
        var pending = await database.StreamPendingMessagesAsync(QueueNames.Jobs, QueueNames.ProcessorGroup, 1, RedisValue.Null, entryId, entryId);
        return pending.Length == 0 ? 1 : pending[0].DeliveryCount;
    }

    internal static async Task EnsureGroupAsync(IDatabase database)
    {
        try
        {
            await database.StreamCreateConsumerGroupAsync(QueueNames.Jobs, QueueNames.ProcessorGroup, "0", createStream: true);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // The group exists.
        }
    }
}
