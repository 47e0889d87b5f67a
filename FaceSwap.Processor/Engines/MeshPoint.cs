using FaceSwap.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FaceSwap.Processor.Engines;

/// <summary>A point of a 3D face mesh in photo pixels; z is depth at the scale of x, smaller nearer the camera.</summary>
public readonly record struct MeshPoint(float X, float Y, float Z);
