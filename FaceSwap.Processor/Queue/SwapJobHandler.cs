using System.Diagnostics;
using FaceSwap.Contracts;
using FaceSwap.Messaging;
using FaceSwap.Processor.Engines;
using FaceSwap.Processor.Memory;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FaceSwap.Processor.Queue;

/// <summary>
/// One swap job from <c>faceswap:jobs</c>: reads its photos, asks which face when the target shows several, swaps, and
/// publishes the outcome on <c>faceswap:results</c> before the job is acknowledged. Bad input is answered at once; an
/// engine failure is retried by the consumer, and after the last delivery the user hears that it failed.
/// </summary>
public sealed class SwapJobHandler(
    IConnectionMultiplexer redis,
    IFaceSwapEngine engine,
    IFaceDetector detector,
    IOptions<ProcessorOptions> options,
    ProcessorState state,
    JobMemory memory,
    TimeProvider time,
    ILogger<SwapJobHandler> logger) : IStreamEntryHandler<SwapJobMessage>
{
    public static readonly ActivitySource ActivitySource = new("FaceSwap");

    public string KeyOf(SwapJobMessage message) => message.JobId;

    public async Task<StreamEntryOutcome> HandleAsync(SwapJobMessage job, StreamDelivery delivery, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // Disposed last, after the result is published: the memory is given back while nobody waits for this job.
        using var inHand = memory.Begin();
        using var activity = ActivitySource.StartActivity("processor swap", ActivityKind.Consumer, job.TraceParent);
        activity?.SetTag("faceswap.job_id", job.JobId);
        activity?.SetTag("faceswap.engine", engine.Name);
        activity?.SetTag("faceswap.delivery", delivery.DeliveryCount);
        // The dashboard lists spans by display name: the engine tells a local swap from a hosted one at a glance.
        activity?.DisplayName = $"processor swap ({engine.Name})";

        await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(QueueNames.JobStarted), job.JobId);
        var queueWait = (time.GetUtcNow() - job.EnqueuedAt).TotalMilliseconds;
        var database = redis.GetDatabase();
        var face = (byte[]?)await database.StringGetAsync(job.FaceBlobKey);
        var target = (byte[]?)await database.StringGetAsync(job.TargetBlobKey);
        if (face is null || target is null)
        {
            await PublishAsync(Result(job, SwapOutcome.Failed, activity, delivery) with
            {
                FailureReason = SwapFailureReason.InputExpired, FailureDetail = "input photos expired", QueueWaitMs = queueWait,
            });
            activity?.SetTag("faceswap.outcome", nameof(SwapFailureReason.InputExpired));
            return StreamEntryOutcome.Done;
        }

        var started = time.GetTimestamp();
        try
        {
            if (job.AskWhenSeveralFaces && job.Selection.Mode == TargetFaceMode.Largest &&
                await detector.DetectAsync(new EngineImage(target), cancellationToken) is { Count: > 1 } faces)
            {
                var previewKey = QueueNames.ResultPreviewBlobKey(job.JobId);
                await database.StringSetAsync(previewKey, FacePreview.Draw(target, faces), settings.ResultTimeToLive);
                await PublishAsync(Result(job, SwapOutcome.NeedsFaceChoice, activity, delivery) with
                {
                    FacesFound = faces.Count, PreviewBlobKey = previewKey, QueueWaitMs = queueWait,
                });
                activity?.SetTag("faceswap.outcome", nameof(SwapOutcome.NeedsFaceChoice));
                return StreamEntryOutcome.Done;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.JobTimeout);
            var request = new SwapRequest(
                new EngineImage(face, job.FaceUrl is null ? null : new Uri(job.FaceUrl)),
                new EngineImage(target, job.TargetUrl is null ? null : new Uri(job.TargetUrl)),
                new SwapOptions(job.Selection, job.OutputFormat));
            var output = await engine.SwapAsync(request, timeout.Token);
            var resultKey = QueueNames.ResultBlobKey(job.JobId);
            await database.StringSetAsync(resultKey, output.Image, settings.ResultTimeToLive);
            await PublishAsync(Swapped(job, activity, delivery) with
            {
                ResultBlobKey = resultKey, QueueWaitMs = queueWait, EngineMs = time.GetElapsedTime(started).TotalMilliseconds,
            });
            state.RecordCompleted();
            activity?.SetTag("faceswap.outcome", nameof(SwapOutcome.Swapped));
            return StreamEntryOutcome.Done;
        }
        catch (FaceSwapException ex) when (!ex.IsTransient)
        {
            // Bad input: trying again cannot help, so the user hears why at once.
            logger.LogInformation("Job {JobId} refused: {Reason}", job.JobId, ex.Reason);
            await PublishAsync(Result(job, SwapOutcome.Failed, activity, delivery) with
            {
                FailureReason = ex.Reason, FailureDetail = ex.Message, QueueWaitMs = queueWait,
                EngineMs = time.GetElapsedTime(started).TotalMilliseconds,
            });
            activity?.SetTag("faceswap.outcome", ex.Reason.ToString());
            return StreamEntryOutcome.Done;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            activity?.SetTag("faceswap.outcome", "Retry");
            logger.LogError(ex, "Job {JobId} failed on delivery {Delivery}; it will be retried", job.JobId, delivery.DeliveryCount);
            return StreamEntryOutcome.Retry;
        }
    }

    /// <summary>The last delivery failed too: the user is told and the bot API refunds the credit.</summary>
    public async Task OnDeadLetterAsync(SwapJobMessage job, StreamDelivery delivery, string reason, CancellationToken cancellationToken)
    {
        logger.LogError("Job {JobId} {Reason}; dead-lettering it", job.JobId, reason);
        await PublishAsync(Result(job, SwapOutcome.Failed, Activity.Current, delivery) with
        {
            FailureReason = SwapFailureReason.EngineError, FailureDetail = $"failed {delivery.DeliveryCount - 1} times",
            Attempts = delivery.DeliveryCount - 1,
        });
    }

    private static SwapResultMessage Result(SwapJobMessage job, SwapOutcome outcome, Activity? activity, StreamDelivery delivery) =>
        new(job.JobId, outcome, null, null, null, 0, 0, delivery.DeliveryCount, activity?.Id ?? job.TraceParent);

    private SwapResultMessage Swapped(SwapJobMessage job, Activity? activity, StreamDelivery delivery) =>
        Result(job, SwapOutcome.Swapped, activity, delivery) with { Engine = engine.Name };

    private Task PublishAsync(SwapResultMessage result) =>
        redis.PublishAsync(QueueNames.Results, result, result.JobId, QueueNames.ResultsNudge);
}
