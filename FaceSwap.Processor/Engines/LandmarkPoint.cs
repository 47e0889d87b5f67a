using FaceSwap.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FaceSwap.Processor.Engines;

public readonly record struct LandmarkPoint(float X, float Y);
