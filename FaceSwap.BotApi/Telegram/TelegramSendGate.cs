using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Telegram;

/// <summary>
/// Keeps sending within Telegram's limits (about 1 message a second per chat with short bursts, about 30 a second
/// overall), so the bot waits instead of collecting 429s. Telegram.Bot still retries any 429 that slips through.
/// </summary>
public sealed class TelegramSendGate(IOptions<TelegramOptions> options) : IAsyncDisposable
{
    private readonly PartitionedRateLimiter<long> _limiter = PartitionedRateLimiter.CreateChained(
        PartitionedRateLimiter.Create<long, string>(_ => RateLimitPartition.GetTokenBucketLimiter("all", _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Value.MessagesPerSecond,
            TokensPerPeriod = options.Value.MessagesPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 10_000,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        })),
        PartitionedRateLimiter.Create<long, long>(chatId => RateLimitPartition.GetTokenBucketLimiter(chatId, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Value.PerChatBurst,
            TokensPerPeriod = 1,
            // A token every 1/rate seconds: the bucket's own unit is whole tokens per period.
            ReplenishmentPeriod = TimeSpan.FromSeconds(1 / options.Value.PerChatMessagesPerSecond),
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
