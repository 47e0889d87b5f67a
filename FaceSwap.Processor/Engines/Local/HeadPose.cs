using System.Numerics;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>
/// The head's orientation read from the mesh, in degrees: yaw (turned left/right), pitch (up/down), roll (tilted in the
/// picture plane). Signs only need to be consistent between faces: the gate compares poses, it does not report them.
/// </summary>
public readonly record struct HeadPose(float Yaw, float Pitch, float Roll)
{
    /// <summary>Mesh points the axes are built from: the outer eye corners, and the top of the forehead and the chin.</summary>
    internal const int RightEyeOuter = 33, LeftEyeOuter = 263, ForeheadTop = 10, Chin = 152;

    public static HeadPose Of(ReadOnlySpan<Vector3> points)
    {
        var across = Vector3.Normalize(points[LeftEyeOuter] - points[RightEyeOuter]);
        var down = points[Chin] - points[ForeheadTop];
        down = Vector3.Normalize(down - Vector3.Dot(down, across) * across);
        // across x down points away from the camera for a face looking at it (x right, y down, z away).
        var away = Vector3.Cross(across, down);
        var yaw = MathF.Atan2(away.X, away.Z);
        var pitch = MathF.Atan2(-away.Y, MathF.Sqrt(away.X * away.X + away.Z * away.Z));
        var roll = MathF.Atan2(across.Y, across.X);
        return new HeadPose(Degrees(yaw), Degrees(pitch), Degrees(roll));
    }

    /// <summary>The largest of the yaw and pitch differences: roll is a rotation in the picture, which the warp follows freely.</summary>
    public float OutOfPlaneDifference(HeadPose other) => MathF.Max(MathF.Abs(Yaw - other.Yaw), MathF.Abs(Pitch - other.Pitch));

    private static float Degrees(float radians) => radians * 180f / MathF.PI;
}
