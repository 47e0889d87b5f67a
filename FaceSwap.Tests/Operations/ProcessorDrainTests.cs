using System.Text.Json;
using FaceSwap.Contracts;
using FaceSwap.Processor.Operations;
using FaceSwap.Processor.Queue;
using FaceSwap.Tests.Queue;
using FaceSwap.Tests.Emulator;
using FaceSwap.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace FaceSwap.Tests.Operations;

/// <summary>Draining the processor's real job consumer against a real redis-server, and resuming it.</summary>
public sealed class ProcessorDrainTests : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private ConnectionMultiplexer _connection = null!;

    private IDatabase Db => _connection.GetDatabase();

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
    public async Task Drain_finishes_the_job_in_hand_takes_no_new_one_reports_draining_and_resume_takes_it()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var engine = new ScriptedEngine { Gate = gate.Task };
        await using var queue = await ProcessorQueue.StartAsync(_connection, engine);
        var drain = queue.Services.GetRequiredService<ProcessorDrain>();
        var readiness = queue.Services.GetRequiredService<ProcessorState>();
        var first = await EnqueueAsync();
        await engine.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var draining = await drain.DrainAsync(TimeSpan.FromMilliseconds(50), CancellationToken.None);
        Assert.Equal(new ProcessorDrainState(Draining: true, Drained: false, InHand: 1, Completed: 0), draining);
        var health = await readiness.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.StartsWith("Draining", health.Description);

        var second = await EnqueueAsync();
        gate.SetResult();
        var drained = await drain.DrainAsync(TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.True(drained.Drained);
        Assert.Equal(0, drained.InHand);
        Assert.StartsWith("Drained", (await readiness.CheckHealthAsync(new HealthCheckContext())).Description);
        // The consumer's loop has ended, so the second job was never read: nothing pending, only the first result.
        Assert.Equal(0, (await Db.StreamPendingAsync(QueueNames.Jobs, QueueNames.ProcessorGroup)).PendingMessageCount);
        Assert.Equal([first], (await ResultsAsync()).Select(r => r.JobId));
        Assert.Equal(1, engine.Calls);

        var resumed = await drain.ResumeAsync(CancellationToken.None);

        Assert.False(resumed.Draining);
        await EmulatorHost.WaitUntilAsync(async () => (await ResultsAsync()).Count == 2, TimeSpan.FromSeconds(10), "the second job after resume");
        Assert.Equal([first, second], (await ResultsAsync()).Select(r => r.JobId));
        await EmulatorHost.WaitUntilAsync(async () => (await readiness.CheckHealthAsync(new HealthCheckContext())).Status == HealthStatus.Healthy,
            TimeSpan.FromSeconds(10), "readiness after resume");
    }

    private async Task<string> EnqueueAsync()
    {
        var jobId = Guid.NewGuid().ToString("N");
        await Db.StringSetAsync("face:" + jobId, new byte[] { 9 });
        await Db.StringSetAsync("target:" + jobId, new byte[] { 1, 2, 3 });
        var message = new SwapJobMessage(jobId, 1, "face:" + jobId, "target:" + jobId, TargetFaceSelection.Largest, ImageFormat.Jpeg, DateTimeOffset.UtcNow);
        await Db.StreamAddAsync(QueueNames.Jobs, [new NameValueEntry("payload", JsonSerializer.Serialize(message)), new NameValueEntry("key", jobId)]);
        return jobId;
    }

    private async Task<List<SwapResultMessage>> ResultsAsync() =>
        (await Db.StreamRangeAsync(QueueNames.Results)).Select(e => JsonSerializer.Deserialize<SwapResultMessage>(e["payload"].ToString())!).ToList();
}
