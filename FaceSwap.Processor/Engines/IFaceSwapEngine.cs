using FaceSwap.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FaceSwap.Processor.Engines;

/// <summary>A face-swap engine; chosen by <c>FaceSwap:Engine</c>.</summary>
public interface IFaceSwapEngine
{
    string Name { get; }

    /// <summary>Puts the largest face of <see cref="SwapRequest.Face"/> onto the selected face(s) of the target.</summary>
    /// <exception cref="FaceSwapException">Bad input or an engine failure, with a reason.</exception>
    Task<SwapOutput> SwapAsync(SwapRequest request, CancellationToken cancellationToken);

    /// <summary>The engine's own health: model loaded, or API reachable.</summary>
    Task<HealthCheckResult> CheckHealthAsync(CancellationToken cancellationToken);
}
