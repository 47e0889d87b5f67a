using FaceSwap.Contracts;
using FaceSwap.Processor.Engines;

namespace FaceSwap.Tests.Queue;

internal static class Failures
{
    public static Exception NoFace() => new FaceSwapException(SwapFailureReason.NoFaceInTarget, "no face found in the target photo");
}
