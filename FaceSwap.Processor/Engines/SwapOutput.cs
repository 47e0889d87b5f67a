using FaceSwap.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FaceSwap.Processor.Engines;

public sealed record SwapOutput(byte[] Image, string ContentType, int FacesSwapped);
