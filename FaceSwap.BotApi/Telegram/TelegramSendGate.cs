using System.Threading.RateLimiting;

namespace FaceSwap.BotApi.Telegram;

/// <summary>
/// Keeps sending within Telegram's limits (about 1 message a second per chat with short bursts, about 30 a second
/// overall), so the bot waits instead of collecting 429s. Telegram.Bot still retries any 429 that slips through.
/// </summary>
public sealed class TelegramSendGate : IAsyncDisposable
{
    private readonly PartitionedRateLimiter<long> _limiter = PartitionedRateLimiter.CreateChained(
        PartitionedRateLimiter.Create<long, string>(_ => RateLimitPartition.GetTokenBucketLimiter("all", _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = 30,
            TokensPerPeriod = 30,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 10_000,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        })),
        PartitionedRateLimiter.Create<long, long>(chatId => RateLimitPartition.GetTokenBucketLimiter(chatId, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = 5,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 1_000,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        })));

    public async Task WaitAsync(long chatId, CancellationToken cancellationToken)
    {
        using var lease = await _limiter.AcquireAsync(chatId, 1, cancellationToken);
        if (!lease.IsAcquired)
        {
            throw new InvalidOperationException($"Too many messages waiting for chat {chatId}.");
        }
    }

    public ValueTask DisposeAsync() => _limiter.DisposeAsync();
}
