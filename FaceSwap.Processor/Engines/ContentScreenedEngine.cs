using FaceSwap.ContentSafety;
using FaceSwap.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FaceSwap.Processor.Engines;

/// <summary>
/// Wraps the configured engine and screens every result with the content-safety gate before it leaves the engine:
/// a result judged sexual is never stored nor delivered, and the job fails with <see cref="SwapFailureReason.UnsafeContent"/>
/// (not retried), so the bot API refunds the credit and tells the user. The bot API screens both input photos; this
/// catches what an engine makes of two photos that each passed (the hosted engine is not ours to inspect).
/// </summary>
public sealed class ContentScreenedEngine(IFaceSwapEngine inner, ContentSafetyGate safety, ILogger<ContentScreenedEngine> logger) : IFaceSwapEngine
{
    public IFaceSwapEngine Inner => inner;

    public string Name => inner.Name;

    public async Task<SwapOutput> SwapAsync(SwapRequest request, CancellationToken cancellationToken)
    {
        var output = await inner.SwapAsync(request, cancellationToken);
        SafetyVerdict verdict;
        try
        {
            verdict = safety.Screen(output.Image);
        }
        catch (InvalidDataException ex)
        {
            // An engine that returns something no decoder reads has failed; it is not a reason to deliver it unscreened.
            throw new FaceSwapException(SwapFailureReason.EngineError, $"the {inner.Name} engine returned a result that does not decode", ex);
        }

        if (!verdict.IsSafe)
        {
            logger.LogWarning("Result of the {Engine} engine refused by the content-safety gate: {Verdict}", inner.Name, verdict);
            throw new FaceSwapException(SwapFailureReason.UnsafeContent, $"the result was refused by the content-safety gate ({verdict.Class} {verdict.Score:0.00})");
        }

        return output;
    }

    public Task<HealthCheckResult> CheckHealthAsync(CancellationToken cancellationToken) => inner.CheckHealthAsync(cancellationToken);
}
