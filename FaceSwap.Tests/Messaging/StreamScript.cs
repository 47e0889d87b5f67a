using System.Collections.Concurrent;
using FaceSwap.Messaging;

namespace FaceSwap.Tests.Messaging;

/// <summary>What the test handler does with each entry, and what it saw: set by the test, shared by every handler scope.</summary>
public sealed class StreamScript
{
    public Func<TestMessage, StreamDelivery, Task<StreamEntryOutcome>> Handle { get; set; } = (_, _) => Task.FromResult(StreamEntryOutcome.Done);

    public ConcurrentQueue<(TestMessage Message, StreamDelivery Delivery)> Handled { get; } = new();

    public ConcurrentQueue<(TestMessage Message, string Reason)> DeadLettered { get; } = new();

    public int Concurrent;

    public int MaxConcurrent;

    /// <summary>Handler scopes disposed (each holds one <see cref="AsyncOnlyScopedResource"/>).</summary>
    public int ScopesDisposed;
}
