using StackExchange.Redis;

namespace FaceSwap.Messaging;

/// <summary>Removes a stream's entries by the key they were published with (<see cref="StreamPublisher.KeyField"/>).</summary>
public static class StreamEntryRemover
{
    private const int PageSize = 500;

    /// <summary>
    /// Deletes (XDEL) every entry of <paramref name="stream"/> whose key is one of <paramref name="keys"/>, read or not;
    /// returns how many. A consumer that already holds one finds it empty and drops it
    /// (<see cref="RedisStreamConsumer{TMessage, THandler}"/> skips entries without values). Walks the stream in pages:
    /// streams stay short (acknowledged entries are trimmed), so this is cheap.
    /// </summary>
    public static async Task<int> RemoveByKeysAsync(this IConnectionMultiplexer redis, string stream, IReadOnlyCollection<string> keys,
        CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return 0;
        }

        var wanted = keys.ToHashSet(StringComparer.Ordinal);
        var database = redis.GetDatabase();
        var doomed = new List<RedisValue>();
        RedisValue from = "-";
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await database.StreamRangeAsync(stream, from, "+", PageSize);
            doomed.AddRange(page.Where(e => !e.IsNull && wanted.Contains(e[StreamPublisher.KeyField].ToString())).Select(e => e.Id));
            if (page.Length < PageSize)
            {
                break;
            }

            from = "(" + page[^1].Id; // exclusive start: the next page begins after the last entry seen
        }

        return doomed.Count == 0 ? 0 : (int)await database.StreamDeleteAsync(stream, [.. doomed]);
    }
}
