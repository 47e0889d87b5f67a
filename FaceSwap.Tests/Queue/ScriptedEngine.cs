using FaceSwap.Contracts;
using FaceSwap.Processor.Engines;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FaceSwap.Tests.Queue;

/// <summary>A test double: "swaps" by returning the target's bytes reversed, after an optional delay or failure.</summary>
internal sealed class ScriptedEngine : IFaceSwapEngine, IFaceDetector
{
    private int _calls;

    public TimeSpan Delay { get; init; }

    /// <summary>Each swap waits for this before it finishes (a test opens it when it is ready).</summary>
    public Task Gate { get; init; } = Task.CompletedTask;

    public Func<int, Exception?> FailOnCall { get; init; } = _ => null;

    /// <summary>What the swap returns; by default the target's bytes reversed (not an image: the queue tests don't care).</summary>
    public Func<SwapRequest, byte[]> Output { get; init; } = request => request.Target.Bytes.ToArray().Reverse().ToArray();

    public int Calls => Volatile.Read(ref _calls);

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => "scripted";

    public async Task<SwapOutput> SwapAsync(SwapRequest request, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _calls);
        Started.TrySetResult();
        await Task.Delay(Delay, cancellationToken);
        await Gate.WaitAsync(cancellationToken);
        if (FailOnCall(call) is { } failure)
        {
            throw failure;
        }

        return new SwapOutput(Output(request), "image/jpeg", 1);
    }

    /// <summary>The faces detection reports; none by default.</summary>
    public IReadOnlyList<DetectedFace> Faces { get; init; } = [];

    public Task<IReadOnlyList<DetectedFace>> DetectAsync(EngineImage image, CancellationToken cancellationToken) => Task.FromResult(Faces);

    public Task<HealthCheckResult> CheckHealthAsync(CancellationToken cancellationToken) => Task.FromResult(HealthCheckResult.Healthy());
}
