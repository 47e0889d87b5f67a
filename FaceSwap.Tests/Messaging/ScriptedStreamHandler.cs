using FaceSwap.Messaging;

namespace FaceSwap.Tests.Messaging;

/// <summary>
/// A test double for a stream's handler: does what <see cref="StreamScript"/> says. Its scope holds an
/// <see cref="AsyncOnlyScopedResource"/>, as the bot API's results handler's holds an async-only disposable.
/// </summary>
public sealed class ScriptedStreamHandler(StreamScript script, AsyncOnlyScopedResource scoped) : IStreamEntryHandler<TestMessage>
{
    /// <summary>The scoped dependency this handler was built with (so the container creates one per scope).</summary>
    public AsyncOnlyScopedResource Scoped => scoped;

    public string KeyOf(TestMessage message) => message.Key;

    public async Task<StreamEntryOutcome> HandleAsync(TestMessage message, StreamDelivery delivery, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref script.Concurrent);
        InterlockedMax(ref script.MaxConcurrent, now);
        try
        {
            var outcome = await script.Handle(message, delivery);
            script.Handled.Enqueue((message, delivery));
            return outcome;
        }
        finally
        {
            Interlocked.Decrement(ref script.Concurrent);
        }
    }

    public Task OnDeadLetterAsync(TestMessage message, StreamDelivery delivery, string reason, CancellationToken cancellationToken)
    {
        script.DeadLettered.Enqueue((message, reason));
        return Task.CompletedTask;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
