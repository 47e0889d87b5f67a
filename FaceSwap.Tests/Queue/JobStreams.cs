using System.Text.Json;
using FaceSwap.Contracts;
using FaceSwap.Tests.Support;
using StackExchange.Redis;

namespace FaceSwap.Tests.Queue;

/// <summary>
/// A real redis-server and a connection to it, with the job and result streams as the processor's tests use them:
/// enqueue a job as the bot API does, read the results it published. One set-up for every processor-queue test class.
/// </summary>
internal sealed class JobStreams : IAsyncDisposable
{
    private JobStreams(RedisServer redis, ConnectionMultiplexer connection)
    {
        Redis = redis;
        Connection = connection;
    }

    public RedisServer Redis { get; }

    public ConnectionMultiplexer Connection { get; }

    public IDatabase Db => Connection.GetDatabase();

    public static async Task<JobStreams> StartAsync()
    {
        var redis = await RedisServer.StartAsync();
        return new JobStreams(redis, await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString));
    }

    /// <summary>A job with its face and target blobs stored, as the bot API enqueues it; returns its id.</summary>
    public async Task<string> EnqueueAsync()
    {
        var jobId = Guid.NewGuid().ToString("N");
        await Db.StringSetAsync("face:" + jobId, new byte[] { 9 });
        await Db.StringSetAsync("target:" + jobId, new byte[] { 1, 2, 3 });
        var message = new SwapJobMessage(jobId, 1, "face:" + jobId, "target:" + jobId, TargetFaceSelection.Largest, ImageFormat.Jpeg, DateTimeOffset.UtcNow);
        await Db.StreamAddAsync(QueueNames.Jobs, [new NameValueEntry("payload", JsonSerializer.Serialize(message)), new NameValueEntry("key", jobId)]);
        return jobId;
    }

    public async Task<List<SwapResultMessage>> ReadResultsAsync() =>
        (await Db.StreamRangeAsync(QueueNames.Results)).Select(e => JsonSerializer.Deserialize<SwapResultMessage>(e["payload"].ToString())!).ToList();

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
