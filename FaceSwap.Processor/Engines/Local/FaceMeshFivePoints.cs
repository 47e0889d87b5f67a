using SkiaSharp;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>
/// The five points face alignment usually works from, in photo pixels. Right and left are the subject's (their right
/// eye is on the left of an unmirrored photo), so the order matches the usual image-left-first five-point templates.
/// </summary>
public readonly record struct FaceMeshFivePoints(SKPoint RightEye, SKPoint LeftEye, SKPoint NoseTip, SKPoint RightMouthCorner, SKPoint LeftMouthCorner)
{
    public SKPoint[] ToArray() => [RightEye, LeftEye, NoseTip, RightMouthCorner, LeftMouthCorner];
}
