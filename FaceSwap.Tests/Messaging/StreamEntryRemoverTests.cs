using FaceSwap.Messaging;
using FaceSwap.Tests.Support;
using StackExchange.Redis;

namespace FaceSwap.Tests.Messaging;

/// <summary>/deletedata removes a user's queue entries by job id, against a real redis-server.</summary>
public sealed class StreamEntryRemoverTests : IAsyncLifetime
{
    private const string Stream = "test:jobs";
    private RedisServer _redis = null!;
    private ConnectionMultiplexer _connection = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Only_the_entries_with_the_given_keys_go_read_or_unread_across_pages()
    {
        // More than one page (500 entries), with the doomed keys on both pages, one of them already read by a group.
        var keys = Enumerable.Range(0, 1200).Select(i => $"job-{i}").ToArray();
        foreach (var key in keys)
        {
            await _connection.PublishAsync(Stream, new { Job = key }, key);
        }

        await _connection.GetDatabase().StreamCreateConsumerGroupAsync(Stream, "processors", "0");
        await _connection.GetDatabase().StreamReadGroupAsync(Stream, "processors", "p1", ">", count: 10);

        var removed = await _connection.RemoveByKeysAsync(Stream, ["job-3", "job-700", "job-1199", "no-such-job"], CancellationToken.None);

        Assert.Equal(3, removed);
        var left = await _connection.GetDatabase().StreamRangeAsync(Stream);
        Assert.Equal(1197, left.Length);
        var leftKeys = left.Select(e => e[StreamPublisher.KeyField].ToString()).ToHashSet();
        Assert.DoesNotContain("job-3", leftKeys);
        Assert.DoesNotContain("job-700", leftKeys);
        Assert.DoesNotContain("job-1199", leftKeys);
        Assert.Contains("job-4", leftKeys);
    }

    [Fact]
    public async Task No_keys_or_no_stream_removes_nothing()
    {
        Assert.Equal(0, await _connection.RemoveByKeysAsync("test:none", ["a"], CancellationToken.None));
        Assert.Equal(0, await _connection.RemoveByKeysAsync(Stream, [], CancellationToken.None));
    }
}
