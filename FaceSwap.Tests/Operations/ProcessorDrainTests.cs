using FaceSwap.Contracts;
using FaceSwap.Processor.Operations;
using FaceSwap.Processor.Queue;
using FaceSwap.Tests.Queue;
using FaceSwap.Tests.Emulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace FaceSwap.Tests.Operations;

/// <summary>Draining the processor's real job consumer against a real redis-server, and resuming it.</summary>
public sealed class ProcessorDrainTests : IAsyncLifetime
{
    private JobStreams _streams = null!;

    private IDatabase Db => _streams.Db;

    public async Task InitializeAsync() => _streams = await JobStreams.StartAsync();

    public async Task DisposeAsync() => await _streams.DisposeAsync();

    [Fact]
    public async Task Drain_finishes_the_job_in_hand_takes_no_new_one_reports_draining_and_resume_takes_it()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var engine = new ScriptedEngine { Gate = gate.Task };
        await using var queue = await ProcessorQueue.StartAsync(_streams.Connection, engine);
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

    private Task<string> EnqueueAsync() => _streams.EnqueueAsync();

    private Task<List<SwapResultMessage>> ResultsAsync() => _streams.ReadResultsAsync();
}
