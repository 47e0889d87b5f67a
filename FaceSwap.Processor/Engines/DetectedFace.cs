using FaceSwap.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FaceSwap.Processor.Engines;

/// <param name="Landmarks">The classic 68 landmarks (iBUG order).</param>
/// <param name="Mesh">The 468 points of MediaPipe's face mesh, when the detector fits one.</param>
public sealed record DetectedFace(FaceBox Box, float Score, IReadOnlyList<LandmarkPoint> Landmarks, IReadOnlyList<MeshPoint>? Mesh = null);
