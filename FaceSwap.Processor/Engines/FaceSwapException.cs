using FaceSwap.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FaceSwap.Processor.Engines;

/// <summary>A swap that could not be done, with a reason the bot can explain to the user.</summary>
public sealed class FaceSwapException(SwapFailureReason reason, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public SwapFailureReason Reason { get; } = reason;

    /// <summary>Whether trying again could help (an engine outage) or not (bad input).</summary>
    public bool IsTransient => Reason is SwapFailureReason.EngineUnavailable or SwapFailureReason.Timeout;
}
