using FaceSwap.Contracts;
using FaceSwap.Processor.Queue;
using StackExchange.Redis;

namespace FaceSwap.Tests.Queue;

/// <summary>The processor's job consumer against a real redis-server.</summary>
public sealed class SwapJobConsumerTests : IAsyncLifetime
{
    private JobStreams _streams = null!;

    private IDatabase Db => _streams.Db;

    public async Task InitializeAsync() => _streams = await JobStreams.StartAsync();

    public async Task DisposeAsync() => await _streams.DisposeAsync();

    [Fact]
    public async Task A_job_is_swapped_its_result_published_and_only_then_acknowledged()
    {
        var engine = new ScriptedEngine();
        var jobId = await EnqueueAsync();

        await using (await StartWorkerAsync(engine))
        {
            var result = await WaitForResultsAsync(1);

            Assert.True(result[0].Succeeded);
            Assert.Equal(jobId, result[0].JobId);
            Assert.Equal(new byte[] { 3, 2, 1 }, (byte[]?)await Db.StringGetAsync(result[0].ResultBlobKey));
        }

        Assert.Equal(0, (await Db.StreamPendingAsync(QueueNames.Jobs, QueueNames.ProcessorGroup)).PendingMessageCount);
    }

    [Fact]
    public async Task A_job_left_pending_by_a_dead_processor_is_reclaimed_and_completed_once()
    {
        var jobId = await EnqueueAsync();
        await ReadAsDeadConsumerAsync(); // delivered to a processor that then died without acknowledging

        var engine = new ScriptedEngine();
        await using (var worker = await StartWorkerAsync(engine, o => o.VisibilityTimeout = TimeSpan.FromMilliseconds(500)))
        {
            var results = await WaitForResultsAsync(1);
            Assert.Equal(jobId, results.Single().JobId);
            await WaitForClaimPassesAsync(worker, 2); // later reclaim passes have had the chance to take it again
        }

        Assert.Equal(1, engine.Calls);
        Assert.Equal(1, await Db.StreamLengthAsync(QueueNames.Results));
        Assert.Equal(0, (await Db.StreamPendingAsync(QueueNames.Jobs, QueueNames.ProcessorGroup)).PendingMessageCount);
    }

    [Fact]
    public async Task A_job_that_always_fails_ends_in_the_dead_letter_stream_with_a_failure_result()
    {
        var jobId = await EnqueueAsync();
        var engine = new ScriptedEngine { FailOnCall = _ => new InvalidOperationException("engine exploded") };

        await using (await StartWorkerAsync(engine, o => { o.VisibilityTimeout = TimeSpan.FromMilliseconds(300); o.MaxAttempts = 2; }))
        {
            var result = (await WaitForResultsAsync(1, TimeSpan.FromSeconds(20))).Single();
            Assert.False(result.Succeeded);
            Assert.Equal(SwapFailureReason.EngineError, result.FailureReason);
            Assert.Equal(jobId, result.JobId);
        }

        Assert.Equal(2, engine.Calls);
        var dead = await Db.StreamRangeAsync(QueueNames.DeadLetter);
        Assert.Equal(jobId, (string?)dead.Single()["key"]);
        Assert.Equal(0, (await Db.StreamPendingAsync(QueueNames.Jobs, QueueNames.ProcessorGroup)).PendingMessageCount);
    }

    [Fact]
    public async Task Bad_input_is_answered_at_once_and_not_retried()
    {
        await EnqueueAsync();
        var engine = new ScriptedEngine { FailOnCall = _ => Failures.NoFace() };

        await using (var worker = await StartWorkerAsync(engine, o => o.VisibilityTimeout = TimeSpan.FromMilliseconds(300)))
        {
            var result = (await WaitForResultsAsync(1)).Single();
            Assert.Equal(SwapFailureReason.NoFaceInTarget, result.FailureReason);
            // Passes a second apart, each after the visibility timeout: a job left for a retry would have been taken.
            await WaitForClaimPassesAsync(worker, 2);
        }

        Assert.Equal(1, engine.Calls);
        Assert.Empty(await Db.StreamRangeAsync(QueueNames.DeadLetter));
    }

    [Fact]
    public async Task Shutdown_finishes_the_job_in_hand()
    {
        await EnqueueAsync();
        var engine = new ScriptedEngine { Delay = TimeSpan.FromSeconds(1) };
        var worker = await StartWorkerAsync(engine);

        await engine.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await worker.DisposeAsync(); // stop while the swap runs

        Assert.Single(await ReadResultsAsync());
        Assert.Equal(0, (await Db.StreamPendingAsync(QueueNames.Jobs, QueueNames.ProcessorGroup)).PendingMessageCount);
    }

    [Fact]
    public async Task Queued_jobs_survive_a_redis_crash_and_are_processed_after_it_returns()
    {
        var jobId = await EnqueueAsync();
        await _streams.Redis.KillAsync();
        await _streams.Redis.StartAgainAsync();

        await using (await StartWorkerAsync(new ScriptedEngine()))
        {
            Assert.Equal(jobId, (await WaitForResultsAsync(1)).Single().JobId);
        }
    }

    private Task<string> EnqueueAsync() => _streams.EnqueueAsync();

    private async Task ReadAsDeadConsumerAsync()
    {
        try
        {
            await Db.StreamCreateConsumerGroupAsync(QueueNames.Jobs, QueueNames.ProcessorGroup, "0", createStream: true);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // exists
        }

        var taken = await Db.StreamReadGroupAsync(QueueNames.Jobs, QueueNames.ProcessorGroup, "dead-processor", ">", count: 1);
        Assert.Single(taken);
    }

    private Task<ProcessorQueue> StartWorkerAsync(ScriptedEngine engine, Action<ProcessorOptions>? configure = null) =>
        ProcessorQueue.StartAsync(_streams.Connection, engine, configure);

    private Task<List<SwapResultMessage>> ReadResultsAsync() => _streams.ReadResultsAsync();

    /// <summary>Waits for this many more of the worker's reclaim passes than it had made so far: the signal that they found nothing.</summary>
    private static async Task WaitForClaimPassesAsync(ProcessorQueue worker, int more)
    {
        var target = worker.Consumer.Status.ClaimPasses + more;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (worker.Consumer.Status.ClaimPasses < target)
        {
            Assert.True(DateTime.UtcNow < deadline, $"only {worker.Consumer.Status.ClaimPasses} reclaim passes of {target}");
            await Task.Delay(50);
        }
    }

    private async Task<List<SwapResultMessage>> WaitForResultsAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        Exception? lastError = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var results = await ReadResultsAsync();
                if (results.Count >= count)
                {
                    return results;
                }
            }
            catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
            {
                // Right after a Redis restart the multiplexer is still reconnecting; that is not the answer yet.
                lastError = ex;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Fewer than {count} results after the deadline.", lastError);
    }
}
