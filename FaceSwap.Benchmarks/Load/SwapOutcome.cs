namespace FaceSwap.Benchmarks.Load;

/// <summary>What one swap looked like from the user's side.</summary>
/// <param name="UpdateId">The target photo's update, whose id names the job (<c>update-{id}</c>).</param>
public sealed record SwapOutcome(long UserId, long TargetMessageId, long UpdateId, bool Delivered, double LatencyMs, string? Problem);
