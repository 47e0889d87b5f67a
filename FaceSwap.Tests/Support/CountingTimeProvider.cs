using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace FaceSwap.Tests.Support;

/// <summary>
/// A fake clock that counts its timers (each <c>Task.Delay(..., time)</c> is one) and knows when the ones not yet fired
/// are due: a test sees that a delay was set on this clock, and for how long, instead of sleeping to see nothing happen.
/// </summary>
public sealed class CountingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly ConcurrentDictionary<DueTime, byte> _waiting = new();
    private int _timers;

    public int TimersCreated => Volatile.Read(ref _timers);

    /// <summary>When each timer created and not fired yet is due (a disposed one stays listed).</summary>
    public IReadOnlyList<DateTimeOffset> WaitingUntil => [.. _waiting.Keys.Select(d => d.At)];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var due = new DueTime(GetUtcNow() + dueTime);
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            _waiting[due] = 0;
        }

        var timer = base.CreateTimer(s =>
        {
            _waiting.TryRemove(due, out _);
            callback(s);
        }, state, dueTime, period);
        // Counted once created: a test that sees the count may advance the clock past the timer's due time.
        Interlocked.Increment(ref _timers);
        return timer;
    }

    /// <summary>Compared by reference: two timers due at the same moment are two entries.</summary>
    private sealed class DueTime(DateTimeOffset at)
    {
        public DateTimeOffset At { get; } = at;
    }
}
