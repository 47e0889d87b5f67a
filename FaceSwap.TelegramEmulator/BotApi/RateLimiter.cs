using FaceSwap.TelegramEmulator.Infrastructure;
using Microsoft.Extensions.Options;

namespace FaceSwap.TelegramEmulator.BotApi;

/// <summary>
/// Telegram's flood control as token buckets: one per chat (about 1 message/s, bursts allowed) and
/// one for the whole bot (about 30 messages/s). Hand-written rather than System.Threading.RateLimiting
/// because the answer must carry retry_after, the time until the emptier bucket has a token again.
/// </summary>
public sealed class RateLimiter(IOptions<EmulatorOptions> options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Bucket> _perChat = new(StringComparer.Ordinal);
    private readonly Bucket _global = new(options.Value.GlobalBurst, time.GetUtcNow());

    /// <summary>Takes <paramref name="messages"/> tokens from both buckets, or throws 429 and takes none.</summary>
    public void Acquire(string chatKey, int messages)
    {
        var o = options.Value;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (!_perChat.TryGetValue(chatKey, out var chat))
            {
                chat = new Bucket(o.PerChatBurst, now);
                _perChat[chatKey] = chat;
            }

            chat.Refill(now, o.PerChatMessagesPerSecond, o.PerChatBurst);
            _global.Refill(now, o.GlobalMessagesPerSecond, o.GlobalBurst);

            var chatWait = chat.SecondsUntil(messages, o.PerChatMessagesPerSecond);
            var globalWait = _global.SecondsUntil(messages, o.GlobalMessagesPerSecond);
            var wait = Math.Max(chatWait, globalWait);
            if (wait > 0)
            {
                var retryAfter = (int)Math.Max(1, Math.Ceiling(wait));
                throw new BotApiException(429, $"Too Many Requests: retry after {retryAfter}", retryAfter);
            }

            chat.Tokens -= messages;
            _global.Tokens -= messages;
        }
    }

    private sealed class Bucket(double tokens, DateTimeOffset updatedAt)
    {
        public double Tokens { get; set; } = tokens;
        private DateTimeOffset _updatedAt = updatedAt;

        public void Refill(DateTimeOffset now, double perSecond, int capacity)
        {
            Tokens = Math.Min(capacity, Tokens + ((now - _updatedAt).TotalSeconds * perSecond));
            _updatedAt = now;
        }

        public double SecondsUntil(int needed, double perSecond) => Tokens >= needed ? 0 : (needed - Tokens) / perSecond;
    }
}
