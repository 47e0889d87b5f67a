using FaceSwap.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FaceSwap.Processor.Engines;

public readonly record struct FaceBox(float X, float Y, float Width, float Height);
