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

/// <summary>An input photo: its bytes, and for hosted engines a short-lived URL where it is served.</summary>
public sealed record EngineImage(ReadOnlyMemory<byte> Bytes, Uri? PublicUrl = null);

public sealed record SwapOptions(TargetFaceSelection Selection, ImageFormat Format = ImageFormat.Jpeg, int Quality = 90)
{
    public static SwapOptions Default { get; } = new(TargetFaceSelection.Largest);
}

public sealed record SwapRequest(EngineImage Face, EngineImage Target, SwapOptions Options);

public sealed record SwapOutput(byte[] Image, string ContentType, int FacesSwapped);

public readonly record struct FaceBox(float X, float Y, float Width, float Height);

public readonly record struct LandmarkPoint(float X, float Y);

/// <summary>A point of a 3D face mesh in photo pixels; z is depth at the scale of x, smaller nearer the camera.</summary>
public readonly record struct MeshPoint(float X, float Y, float Z);

/// <param name="Landmarks">The classic 68 landmarks (iBUG order).</param>
/// <param name="Mesh">The 468 points of MediaPipe's face mesh, when the detector fits one.</param>
public sealed record DetectedFace(FaceBox Box, float Score, IReadOnlyList<LandmarkPoint> Landmarks, IReadOnlyList<MeshPoint>? Mesh = null);

/// <summary>A swap that could not be done, with a reason the bot can explain to the user.</summary>
public sealed class FaceSwapException(SwapFailureReason reason, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public SwapFailureReason Reason { get; } = reason;

    /// <summary>Whether trying again could help (an engine outage) or not (bad input).</summary>
    public bool IsTransient => Reason is SwapFailureReason.EngineUnavailable or SwapFailureReason.Timeout;
}
