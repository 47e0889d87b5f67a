namespace FaceSwap.Contracts;

/// <summary>Names of the Redis keys BotApi and Processor agree on.</summary>
public static class QueueNames
{
    public const string Jobs = "faceswap:jobs";
    public const string Results = "faceswap:results";
    public const string DeadLetter = "faceswap:jobs:dead";
    public const string ResultsDeadLetter = "faceswap:results:dead";
    public const string ProcessorGroup = "processors";
    public const string BotApiGroup = "botapi";
    /// <summary>Pub/sub channel nudged after each XADD so idle consumers wake without polling fast.</summary>
    public const string JobsNudge = "faceswap:jobs:nudge";
    public const string ResultsNudge = "faceswap:results:nudge";
    /// <summary>Pub/sub channel where a processor says it started a job (progress only; losing one is harmless).</summary>
    public const string JobStarted = "faceswap:jobs:started";
    public const string BlobPrefix = "faceswap:blob:";
    public const string HeartbeatPrefix = "faceswap:processor:heartbeat:";

    /// <summary>Where the processor leaves a job's result image; derived from the job id, so a retry overwrites it.</summary>
    public static string ResultBlobKey(string jobId) => BlobPrefix + "result:" + jobId;

    /// <summary>Where the processor leaves the numbered-faces preview when it asks which face to replace.</summary>
    public static string ResultPreviewBlobKey(string jobId) => ResultBlobKey(jobId) + ":preview";
}

/// <summary>Which faces of the target photo to replace.</summary>
public enum TargetFaceMode
{
    Largest,
    Index,
    All,
}

public sealed record TargetFaceSelection(TargetFaceMode Mode, int Index = 0)
{
    public static TargetFaceSelection Largest { get; } = new(TargetFaceMode.Largest);
    public static TargetFaceSelection AllFaces { get; } = new(TargetFaceMode.All);
    public static TargetFaceSelection At(int index) => new(TargetFaceMode.Index, index);
}

public enum ImageFormat
{
    Jpeg,
    Png,
    Webp,
}

/// <summary>Why a swap did not produce an image; each maps to a clear sentence for the user.</summary>
public enum SwapFailureReason
{
    NotAnImage,
    ImageTooLarge,
    UnsupportedImage,
    NoFaceInFacePhoto,
    NoFaceInTarget,
    FaceTooSmall,
    FaceIndexOutOfRange,
    InputExpired,
    EngineUnavailable,
    EngineError,
    Timeout,
    /// <summary>The job stayed unfinished past the sweeper's bound (its queue entry was lost, or no processor ran it).</summary>
    Stuck,
    /// <summary>A head is turned too far, or the two heads are turned too differently, for the engine to swap well.</summary>
    PoseTooDifferent,
    /// <summary>Too much of a face is covered (hair, hands, objects) to replace it.</summary>
    FaceOccluded,
    /// <summary>The engine's own check of its result failed (the face was not found again where it belongs), so nothing is delivered.</summary>
    LowQuality,
    /// <summary>The content-safety gate refused the result (sexual content), so nothing is delivered and the credit is refunded.</summary>
    UnsafeContent,
}

/// <summary>What became of a swap job.</summary>
public enum SwapOutcome
{
    Swapped,
    Failed,
    /// <summary>Not a failure: the target shows several faces, and the user is asked which to replace.</summary>
    NeedsFaceChoice,
}

/// <summary>A swap job as it travels on <see cref="QueueNames.Jobs"/>.</summary>
/// <param name="FaceUrl">Short-lived signed URL of the face photo, served by BotApi (hosted engine only).</param>
/// <param name="TraceParent">W3C trace context, so a swap is one trace from webhook to sendPhoto.</param>
public sealed record SwapJobMessage(
    string JobId,
    long ChatId,
    string FaceBlobKey,
    string TargetBlobKey,
    TargetFaceSelection Selection,
    ImageFormat OutputFormat,
    DateTimeOffset EnqueuedAt,
    string? FaceUrl = null,
    string? TargetUrl = null,
    string? TraceParent = null,
    bool AskWhenSeveralFaces = false);

/// <summary>The outcome of a job as it travels on <see cref="QueueNames.Results"/>.</summary>
/// <param name="FacesFound">With <see cref="SwapOutcome.NeedsFaceChoice"/>: how many faces the numbered preview shows.</param>
/// <param name="Engine">The engine that made the image (<c>local</c>, <c>magicapi</c>): its AI label names what kind of AI it is.</param>
public sealed record SwapResultMessage(
    string JobId,
    SwapOutcome Outcome,
    string? ResultBlobKey,
    SwapFailureReason? FailureReason,
    string? FailureDetail,
    double QueueWaitMs,
    double EngineMs,
    int Attempts,
    string? TraceParent = null,
    int FacesFound = 0,
    string? PreviewBlobKey = null,
    string? Engine = null)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Succeeded => Outcome == SwapOutcome.Swapped;
}
