using System.Collections.Concurrent;
using FaceSwap.Messaging;

namespace FaceSwap.Tests.Messaging;

public sealed record TestMessage(string Key, string Body);

/// <summary>What the test handler does with each entry, and what it saw: set by the test, shared by every handler scope.</summary>
public sealed class StreamScript
{
    public Func<TestMessage, StreamDelivery, Task<StreamEntryOutcome>> Handle { get; set; } = (_, _) => Task.FromResult(StreamEntryOutcome.Done);

    public ConcurrentQueue<(TestMessage Message, StreamDelivery Delivery)> Handled { get; } = new();

    public ConcurrentQueue<(TestMessage Message, string Reason)> DeadLettered { get; } = new();

    public int Concurrent;

    public int MaxConcurrent;
}

/// <summary>A test double for a stream's handler: does what <see cref="StreamScript"/> says.</summary>
public sealed class ScriptedStreamHandler(StreamScript script) : IStreamEntryHandler<TestMessage>
{
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
