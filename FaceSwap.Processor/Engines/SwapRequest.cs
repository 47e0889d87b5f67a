using FaceSwap.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FaceSwap.Processor.Engines;

public sealed record SwapRequest(EngineImage Face, EngineImage Target, SwapOptions Options);
