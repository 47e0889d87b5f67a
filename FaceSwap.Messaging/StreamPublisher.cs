using System.Text.Json;
using StackExchange.Redis;

namespace FaceSwap.Messaging;

/// <summary>Adds a message to a stream in the shape <see cref="RedisStreamConsumer{TMessage, THandler}"/> reads.</summary>
public static class StreamPublisher
{
    public const string PayloadField = "payload";
    public const string KeyField = "key";

    /// <summary>
    /// A hard bound on a stream's length, for the case where consumers stop for days: Redis drops the oldest entries
    /// past it. Acknowledged entries are trimmed long before (see <see cref="StreamConsumerOptions.TrimInterval"/>), and
    /// the bot API's sweeper finishes or refunds a job whose entry was dropped.
    /// </summary>
    public const int MaxLength = 100_000;

    public static async Task<string> PublishAsync<TMessage>(this IConnectionMultiplexer redis, string stream, TMessage message, string key,
        string? nudgeChannel = null)
    {
        var id = await redis.GetDatabase().StreamAddAsync(stream,
            [new NameValueEntry(PayloadField, JsonSerializer.Serialize(message)), new NameValueEntry(KeyField, key)],
            maxLength: MaxLength, useApproximateMaxLength: true);
        if (nudgeChannel is not null)
        {
            // Idle consumers wait on this channel instead of polling the stream fast; losing a nudge costs one poll interval.
            await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(nudgeChannel), key);
        }

        return id.ToString();
    }
}
