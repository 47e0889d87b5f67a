using FaceSwap.ContentSafety;

namespace FaceSwap.BotApi.Media;

/// <param name="Image">The re-encoded photo (JPEG, or PNG when it has transparent pixels); set when accepted.</param>
/// <param name="Width">The upload's width as stored in its header (before EXIF rotation), also when refused.</param>
/// <param name="Height">The upload's height as stored in its header.</param>
/// <param name="Reason">Why it was refused, for the logs.</param>
/// <param name="Safety">The content-safety gate's verdict, once the photo was decoded far enough to be screened.</param>
public sealed record IntakeResult(IntakeVerdict Verdict, byte[]? Image = null, int Width = 0, int Height = 0, string? Reason = null, SafetyVerdict? Safety = null);
