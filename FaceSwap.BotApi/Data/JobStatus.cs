namespace FaceSwap.BotApi.Data;

/// <summary>Where a swap job stands. The allowed moves are <see cref="SwapJob"/>'s methods.</summary>
public enum JobStatus
{
    /// <summary>Paid for and waiting in the outbox.</summary>
    Queued = 0,
    /// <summary>On the Redis stream.</summary>
    Dispatched = 1,
    Succeeded = 2,
    /// <summary>No swap was made; the credit was refunded.</summary>
    Failed = 3,
    /// <summary>The target had several faces; the user was asked which. The credit stays with the job until the answer.</summary>
    AwaitingChoice = 4,
    /// <summary>A processor started it.</summary>
    Running = 5,
    /// <summary>Swapped, but Telegram refused the result (the user blocked the bot); the credit was refunded.</summary>
    Undeliverable = 6,
    /// <summary>Never answered "which face?", or a new swap took its place; the credit was refunded.</summary>
    Superseded = 7,
}
