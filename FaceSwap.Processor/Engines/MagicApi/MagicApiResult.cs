namespace FaceSwap.Processor.Engines.MagicApi;

public sealed record MagicApiResult(string Status, Uri? Output, string? Message)
{
    public bool IsDone => Status is "done" or "completed" or "complete" or "succeeded" or "success" or "finished";
    public bool IsFailed => Status is "failed" or "error" or "cancelled" or "canceled";
}
