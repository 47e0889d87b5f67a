namespace FaceSwap.Tests.Support;

/// <summary>
/// The system clock moved forward by <see cref="Advance"/>: "now" jumps at once while timers and delays stay real, for
/// a whole app whose background loops must keep running (a <c>FakeTimeProvider</c> would stop their timers).
/// </summary>
public sealed class ShiftedTimeProvider : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
