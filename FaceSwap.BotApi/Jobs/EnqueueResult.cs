using FaceSwap.BotApi.Data;

namespace FaceSwap.BotApi.Jobs;

public sealed record EnqueueResult(EnqueueOutcome Outcome, SwapJob? Job = null, int Position = 0);
