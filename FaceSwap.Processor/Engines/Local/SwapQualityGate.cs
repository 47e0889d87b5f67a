using FaceSwap.Contracts;
using SkiaSharp;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>
/// What the mesh engine refuses rather than deliver as a smear, each with a reason the bot can explain: a head turned
/// too far, two heads turned too differently, a mesh that does not sit on the face the detector found, a face mostly
/// covered, and a result in which the face is not found again where it was.
/// </summary>
public sealed class SwapQualityGate(LocalEngineOptions options)
{
    /// <summary>Checks one face before anything is drawn; <paramref name="whose"/> names the photo in the message.</summary>
    public void CheckFace(MeshFace face, DetectorFace detection, string whose)
    {
        var pose = face.Pose;
        if (MathF.Abs(pose.Yaw) > options.MaxYawDegrees || MathF.Abs(pose.Pitch) > options.MaxPitchDegrees)
        {
            throw new FaceSwapException(SwapFailureReason.PoseTooDifferent,
                $"the head in the {whose} photo is turned too far (yaw {pose.Yaw:0}°, pitch {pose.Pitch:0}°; at most {options.MaxYawDegrees}° and {options.MaxPitchDegrees}°)");
        }

        if (face.MeshScore < options.MinMeshScore)
        {
            throw new FaceSwapException(SwapFailureReason.LowQuality,
                $"the face mesh does not fit the face in the {whose} photo (mesh confidence {face.MeshScore:0.00}, at least {options.MinMeshScore:0.00})");
        }

        // The mesh's eye centres must land near the detector's: otherwise the mesh was fitted to something else.
        var eyeDistance = MathF.Max(1f, FaceFeatures.EyeDistance(face));
        var misfit = Math.Max(
            SKPoint.Distance(FaceFeatures.RightEyeCentre(face), detection.RightEye),
            SKPoint.Distance(FaceFeatures.LeftEyeCentre(face), detection.LeftEye)) / eyeDistance;
        if (misfit > options.MaxMeshMisfit)
        {
            throw new FaceSwapException(SwapFailureReason.LowQuality,
                $"the face mesh does not fit the face in the {whose} photo (eyes {misfit:0.00} eye distances from the detector's)");
        }
    }

    public void CheckPair(MeshFace source, MeshFace target)
    {
        var difference = source.Pose.OutOfPlaneDifference(target.Pose);
        if (difference > options.MaxPoseDifferenceDegrees)
        {
            throw new FaceSwapException(SwapFailureReason.PoseTooDifferent,
                $"the two heads are turned too differently ({difference:0}° apart, at most {options.MaxPoseDifferenceDegrees}°)");
        }
    }

    public void CheckWarp(WarpedFace warped, int triangles)
    {
        if (warped.TrianglesDrawn < triangles * 0.6f)
        {
            throw new FaceSwapException(SwapFailureReason.PoseTooDifferent,
                $"too little of the face is visible in both photos ({warped.TrianglesDrawn} of {triangles} mesh triangles)");
        }
    }

    public void CheckComposite(CompositeReport report)
    {
        if (report.TargetOccludedShare > options.MaxOccludedShare)
        {
            throw new FaceSwapException(SwapFailureReason.FaceOccluded,
                $"{report.TargetOccludedShare:P0} of the face in the target photo is covered (at most {options.MaxOccludedShare:P0})");
        }

        if (report.SourceOccludedShare > options.MaxOccludedShare)
        {
            throw new FaceSwapException(SwapFailureReason.FaceOccluded,
                $"{report.SourceOccludedShare:P0} of the face in the face photo is covered (at most {options.MaxOccludedShare:P0})");
        }
    }

    /// <summary>The result's face, found again by the detector and the mesh, must sit where the target's was.</summary>
    public void CheckResult(MeshFace? found, MeshFace target, MeshRegions regions)
    {
        if (found is null)
        {
            throw new FaceSwapException(SwapFailureReason.LowQuality, "no face was found again in the result where the target's face was");
        }

        var eyeDistance = MathF.Max(1f, FaceFeatures.EyeDistance(target));
        var error = regions.Landmarks68.Average(i => SKPoint.Distance(found.At(i), target.At(i))) / eyeDistance;
        if (error > options.MaxResultMeshError)
        {
            throw new FaceSwapException(SwapFailureReason.LowQuality,
                $"the face in the result has moved from the target's ({error:0.00} eye distances on average, at most {options.MaxResultMeshError:0.00})");
        }
    }
}
