using FaceSwap.Contracts;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FaceSwap.BotApi.Media;

public sealed class BlobOptions
{
    /// <summary>How long input photos live in Redis; they are deleted after the job or at this age.</summary>
    public TimeSpan InputTimeToLive { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Short-lived image blobs in Redis, shared with the processor.</summary>
public sealed class BlobStore(IConnectionMultiplexer redis, IOptions<BlobOptions> options)
{
    public async Task<string> PutAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var key = QueueNames.BlobPrefix + Guid.NewGuid().ToString("N");
        await redis.GetDatabase().StringSetAsync(key, bytes, options.Value.InputTimeToLive);
        return key;
    }

    /// <summary>Replaces a blob's bytes and keeps its time to live (the labelled result in place of the engine's output).</summary>
    public async Task ReplaceAsync(string key, byte[] bytes, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await redis.GetDatabase().StringSetAsync(key, bytes, expiry: null, keepTtl: true);
    }

    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return (byte[]?)await redis.GetDatabase().StringGetAsync(key);
    }

    public Task DeleteAsync(params string[] keys) =>
        redis.GetDatabase().KeyDeleteAsync(keys.Select(k => (RedisKey)k).ToArray());
}
