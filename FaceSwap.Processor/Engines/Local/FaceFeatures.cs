using SkiaSharp;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>Measurements of the mesh's features: eye and mouth openness, eye distance (MediaPipe's point numbering).</summary>
public static class FaceFeatures
{
    // Eyelid middles and eye corners; lip middles and mouth corners (inner lip line).
    private const int RightUpperLid = 159, RightLowerLid = 145, RightOuter = 33, RightInner = 133;
    private const int LeftUpperLid = 386, LeftLowerLid = 374, LeftOuter = 263, LeftInner = 362;
    private const int UpperLipInner = 13, LowerLipInner = 14, MouthRight = 78, MouthLeft = 308;

    /// <summary>Below this lid gap (a share of the eye's width) an eye is closed; above <see cref="OpenEye"/> it is open.</summary>
    public const float ClosedEye = 0.12f, OpenEye = 0.2f;

    /// <summary>Lip gap over mouth width above which the mouth is open (teeth or the mouth's inside show).</summary>
    public const float OpenMouth = 0.1f;

    public static float EyeDistance(MeshFace face) =>
        SKPoint.Distance(Mid(face, RightOuter, RightInner), Mid(face, LeftOuter, LeftInner));

    /// <summary>The middle of the right eye (the subject's right, on the left of a frontal photo).</summary>
    public static SKPoint RightEyeCentre(MeshFace face) => Mid(face, RightOuter, RightInner);

    public static SKPoint LeftEyeCentre(MeshFace face) => Mid(face, LeftOuter, LeftInner);

    public static float RightEyeOpenness(MeshFace face) => Ratio(face, RightUpperLid, RightLowerLid, RightOuter, RightInner);

    public static float LeftEyeOpenness(MeshFace face) => Ratio(face, LeftUpperLid, LeftLowerLid, LeftOuter, LeftInner);

    public static float MouthOpenness(MeshFace face) => Ratio(face, UpperLipInner, LowerLipInner, MouthRight, MouthLeft);

    private static float Ratio(MeshFace face, int a, int b, int c, int d) =>
        SKPoint.Distance(face.At(a), face.At(b)) / MathF.Max(1e-3f, SKPoint.Distance(face.At(c), face.At(d)));

    private static SKPoint Mid(MeshFace face, int a, int b) => new((face.Points[a].X + face.Points[b].X) / 2, (face.Points[a].Y + face.Points[b].Y) / 2);
}
