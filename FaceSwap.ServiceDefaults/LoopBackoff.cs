using Polly;
using Polly.Retry;

namespace FaceSwap.ServiceDefaults;

/// <summary>
/// The one backoff of the services' loops: exponential from <see cref="FirstDelay"/>, doubled per failed attempt,
/// capped at <see cref="MaxDelay"/>, each delay jittered down by up to a fifth so instances that failed together
/// (Redis or Telegram back) do not retry in step. <see cref="Pipeline"/> is a Polly retry for loops that retry in
/// process; <see cref="DelayFor"/> is the same delay for loops that store when to try again (the inbox's rows).
/// </summary>
public sealed class LoopBackoff
{
    /// <summary>How far below the exponential value a delay may be jittered: delays fall in [80 %, 100 %] of it.</summary>
    public const double Jitter = 0.2;

    private readonly TimeProvider _time;
    private readonly Func<double> _random;

    public LoopBackoff(TimeSpan firstDelay, TimeSpan maxDelay, TimeProvider time)
        : this(firstDelay, maxDelay, time, Random.Shared.NextDouble)
    {
    }

    /// <param name="random">Values in [0, 1) that pick the jitter; tests pass fixed ones.</param>
    public LoopBackoff(TimeSpan firstDelay, TimeSpan maxDelay, TimeProvider time, Func<double> random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(firstDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, firstDelay);
        (FirstDelay, MaxDelay, _time, _random) = (firstDelay, maxDelay, time, random);
    }

    public TimeSpan FirstDelay { get; }

    public TimeSpan MaxDelay { get; }

    /// <summary>The delay after the <paramref name="attempt"/>-th failure in a row (1 for the first).</summary>
    public TimeSpan DelayFor(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        // Doubling past the cap would overflow for a loop that has failed for days; 2^62 ticks is past any cap.
        var exponential = FirstDelay.Ticks * Math.Pow(2, Math.Min(attempt - 1, 62));
        var capped = Math.Min(exponential, MaxDelay.Ticks);
        return TimeSpan.FromTicks((long)(capped * (1 - Jitter * _random())));
    }

    /// <summary>
    /// Retries the action until it succeeds or the token is cancelled, waiting <see cref="DelayFor"/> on this
    /// instance's clock between attempts. <paramref name="onRetry"/> gets the failure, its attempt number (1 for the
    /// first) and the delay before the next one: loops log there.
    /// </summary>
    public ResiliencePipeline Pipeline(Action<Exception, int, TimeSpan>? onRetry = null) =>
        new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex &&
                    !(ex is OperationCanceledException && args.Context.CancellationToken.IsCancellationRequested)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(DelayFor(args.AttemptNumber + 1)),
                OnRetry = args =>
                {
                    onRetry?.Invoke(args.Outcome.Exception!, args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
}
