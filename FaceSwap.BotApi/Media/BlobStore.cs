using FaceSwap.Contracts;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FaceSwap.BotApi.Media;

/// <summary>Short-lived image blobs in Redis, shared with the processor.</summary>
public sealed class BlobStore(IConnectionMultiplexer redis, IOptions<BlobOptions> options)
{
    /// <summary>
    /// Stores a user's photo. The key names its owner, so /deletedata finds every photo of theirs, also those no job
    /// or conversation step points at any more (a face replaced by the next one).
    /// </summary>
    public async Task<string> PutAsync(long ownerUserId, byte[] bytes, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var key = OwnerPrefix(ownerUserId) + Guid.NewGuid().ToString("N");
        await redis.GetDatabase().StringSetAsync(key, bytes, options.Value.InputTimeToLive);
        return key;
    }

    /// <summary>Deletes every photo stored for the user (<see cref="PutAsync"/>); returns how many there were.</summary>
    public async Task<long> DeleteOwnedByAsync(long ownerUserId, CancellationToken cancellationToken)
    {
        long deleted = 0;
        foreach (var server in redis.GetServers().Where(s => !s.IsReplica))
        {
            // SCAN, not KEYS: it does not block Redis for everyone else while it walks the keyspace.
            var keys = new List<RedisKey>();
            await foreach (var key in server.KeysAsync(pattern: OwnerPrefix(ownerUserId) + "*", pageSize: 500).WithCancellation(cancellationToken))
            {
                keys.Add(key);
            }

            if (keys.Count > 0)
            {
                deleted += await redis.GetDatabase().KeyDeleteAsync([.. keys]);
            }
        }

        return deleted;
    }

    private static string OwnerPrefix(long ownerUserId) => $"{QueueNames.BlobPrefix}user:{ownerUserId}:";

    /// <summary>
    /// Puts the labelled result in place of the engine's output, to live <see cref="BlobOptions.ResultTimeToLive"/> from
    /// now: the bot API, which states the time in the privacy text, decides it, not the processor.
    /// </summary>
    public async Task ReplaceResultAsync(string key, byte[] bytes, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await redis.GetDatabase().StringSetAsync(key, bytes, options.Value.ResultTimeToLive);
    }

    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return (byte[]?)await redis.GetDatabase().StringGetAsync(key);
    }

    public Task DeleteAsync(params string[] keys) =>
        redis.GetDatabase().KeyDeleteAsync(keys.Select(k => (RedisKey)k).ToArray());
}
