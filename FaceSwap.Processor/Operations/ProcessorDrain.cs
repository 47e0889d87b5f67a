using FaceSwap.Contracts;
using FaceSwap.Messaging;
using FaceSwap.Processor.Queue;

namespace FaceSwap.Processor.Operations;

/// <summary>What drain or resume left: whether the processor is draining, whether the jobs in hand are all finished.</summary>
public sealed record ProcessorDrainState(bool Draining, bool Drained, int InHand, long Completed);

/// <summary>
/// Drains the processor for maintenance: the job consumer stops reading <see cref="QueueNames.Jobs"/>, finishes the jobs
/// in hand (its own shutdown path, which does exactly that) and readiness reports "draining", so the other replicas take
/// the new jobs. Resume starts the consumer again; it first picks up anything it still holds pending.
/// </summary>
public sealed class ProcessorDrain(RedisStreamConsumer<SwapJobMessage, SwapJobHandler> consumer, ProcessorState state, ILogger<ProcessorDrain> logger)
{
    private readonly SemaphoreSlim _one = new(1, 1);
    private Task? _stopping;

    public bool Draining => _stopping is not null;

    public bool Drained => _stopping is { IsCompleted: true };

    public ProcessorDrainState State => new(Draining, Drained, consumer.Status.InFlight, state.Completed);

    /// <summary>Stops taking jobs and waits up to <paramref name="wait"/> for the ones in hand; calling it again waits again.</summary>
    public async Task<ProcessorDrainState> DrainAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        Task stopping;
        await _one.WaitAsync(cancellationToken);
        try
        {
            if (_stopping is null)
            {
                logger.LogWarning("Draining: no new jobs are taken; {InHand} in hand are finished", consumer.Status.InFlight);
                // Not the request's token: a client that gives up waiting must not cancel the jobs being finished.
                _stopping = consumer.StopAsync(CancellationToken.None);
            }

            stopping = _stopping;
        }
        finally
        {
            _one.Release();
        }

        try
        {
            await stopping.WaitAsync(wait, cancellationToken);
            logger.LogWarning("Drained: no job in hand");
        }
        catch (TimeoutException)
        {
            // Still finishing; the answer says so and the operator asks again.
        }

        return State;
    }

    /// <summary>Takes jobs again once the drain has finished; while jobs are still being finished it answers as it is.</summary>
    public async Task<ProcessorDrainState> ResumeAsync(CancellationToken cancellationToken)
    {
        await _one.WaitAsync(cancellationToken);
        try
        {
            if (_stopping is { IsCompleted: true })
            {
                // The host's token, not the request's: the consumer runs on after this request ends.
                await consumer.StartAsync(CancellationToken.None);
                _stopping = null;
                logger.LogWarning("Resumed: taking jobs again");
            }

            return State;
        }
        finally
        {
            _one.Release();
        }
    }
}
