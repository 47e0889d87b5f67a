using FaceSwap.ServiceDefaults;
using Microsoft.Extensions.Time.Testing;

namespace FaceSwap.Tests.Operations;

/// <summary>The loops' one backoff: exponential, capped, jittered within its bounds, and waited on the given clock.</summary>
public sealed class LoopBackoffTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void Without_jitter_the_delay_doubles_from_the_first_up_to_the_cap_and_stays_there()
    {
        var backoff = new LoopBackoff(2 * Second, 30 * Second, TimeProvider.System, () => 0);

        var delays = Enumerable.Range(1, 7).Select(backoff.DelayFor).Select(d => d.TotalSeconds);

        Assert.Equal([2, 4, 8, 16, 30, 30, 30], delays);
        // A loop that has failed for days neither overflows nor passes the cap.
        Assert.Equal(30 * Second, backoff.DelayFor(10_000));
    }

    [Fact]
    public void The_inbox_s_retry_keeps_its_minute_cap()
    {
        var backoff = new LoopBackoff(2 * Second, 60 * Second, TimeProvider.System, () => 0);

        Assert.Equal([2, 4, 8, 16, 32, 60], Enumerable.Range(1, 6).Select(backoff.DelayFor).Select(d => d.TotalSeconds));
    }

    [Fact]
    public void Jitter_shortens_a_delay_by_at_most_a_fifth_and_varies_it()
    {
        var backoff = new LoopBackoff(2 * Second, 60 * Second, TimeProvider.System);

        for (var attempt = 1; attempt <= 8; attempt++)
        {
            var full = Math.Min(60, Math.Pow(2, attempt));
            var delays = Enumerable.Range(0, 200).Select(_ => backoff.DelayFor(attempt).TotalSeconds).ToList();
            Assert.All(delays, d => Assert.InRange(d, full * (1 - LoopBackoff.Jitter), full));
            Assert.True(delays.Distinct().Count() > 100, $"attempt {attempt}: {delays.Distinct().Count()} distinct delays of 200");
        }

        var lowest = new LoopBackoff(2 * Second, 60 * Second, TimeProvider.System, () => 0.999_999);
        Assert.InRange(lowest.DelayFor(6).TotalSeconds, 48, 48.001);
    }

    [Fact]
    public async Task The_pipeline_retries_only_once_the_delay_has_passed_on_its_clock()
    {
        var clock = new FakeTimeProvider();
        var backoff = new LoopBackoff(2 * Second, 30 * Second, clock, () => 0);
        var attempts = 0;
        var retries = new List<(int Attempt, TimeSpan Delay)>();
        var retried = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = clock.GetUtcNow();

        var run = backoff.Pipeline((_, attempt, delay) => retries.Add((attempt, delay))).ExecuteAsync(_ =>
        {
            if (++attempts == 1)
            {
                throw new InvalidOperationException("down");
            }

            retried.TrySetResult();
            return ValueTask.CompletedTask;
        }, CancellationToken.None).AsTask();

        // The retry waits on the fake clock: it comes only as the clock is moved, and not before the 2 s delay.
        while (!retried.Task.IsCompleted)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.WhenAny(retried.Task, Task.Delay(10));
        }

        await run;
        Assert.Equal(2, attempts);
        Assert.Equal([(1, 2 * Second)], retries);
        Assert.True(clock.GetUtcNow() - started >= 2 * Second, $"retried after {clock.GetUtcNow() - started} of fake time");
    }

    [Fact]
    public async Task Stopping_ends_the_retries()
    {
        var clock = new FakeTimeProvider();
        var backoff = new LoopBackoff(2 * Second, 30 * Second, clock);
        using var stop = new CancellationTokenSource();
        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var run = backoff.Pipeline((_, _, _) => failed.TrySetResult()).ExecuteAsync(_ => throw new InvalidOperationException("down"), stop.Token).AsTask();
        await failed.Task;
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }
}
