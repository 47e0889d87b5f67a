namespace FaceSwap.Benchmarks.Load;

/// <summary>A message of a chat's transcript, as the emulator's control API returns it.</summary>
public sealed record ChatMessage(long MessageId, bool FromBot, string? Text, string? PhotoFileId, DateTimeOffset At)
{
    public bool IsSwapResult => FromBot && PhotoFileId is not null;

    public bool IsSwapFailure => FromBot && Text?.Contains("The swap failed", StringComparison.Ordinal) == true;

    /// <summary>The status line while a swap waits or runs (queued, swapping), which is edited into the outcome later.</summary>
    public bool IsProgress => FromBot && PhotoFileId is null && (Text?.StartsWith('⏳') == true || Text?.StartsWith("⚙️", StringComparison.Ordinal) == true);
}
