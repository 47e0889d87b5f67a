using FaceSwap.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FaceSwap.Processor.Engines;

/// <summary>An input photo: its bytes, and for hosted engines a short-lived URL where it is served.</summary>
public sealed record EngineImage(ReadOnlyMemory<byte> Bytes, Uri? PublicUrl = null);
