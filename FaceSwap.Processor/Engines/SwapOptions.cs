using FaceSwap.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FaceSwap.Processor.Engines;

public sealed record SwapOptions(TargetFaceSelection Selection, ImageFormat Format = ImageFormat.Jpeg, int Quality = 90)
{
    public static SwapOptions Default { get; } = new(TargetFaceSelection.Largest);
}
