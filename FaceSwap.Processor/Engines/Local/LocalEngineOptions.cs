using System.ComponentModel.DataAnnotations;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>Settings of the offline engine, section <c>FaceSwap:Local</c>.</summary>
public sealed class LocalEngineOptions
{
    public const string SectionName = "FaceSwap:Local";
    public const string DebianLandmarkModelPath = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat";
    public const string MeshPipeline = "mesh";
    public const string ClassicPipeline = "classic";

    /// <summary>
    /// <c>mesh</c> (the default): MediaPipe's 468-point 3D mesh, a visibility-aware warp and the quality gate.
    /// <c>classic</c>: the earlier engine (dlib's 68 landmarks, a 2D warp, a feathered blend), kept to compare against;
    /// it needs dlib's model, which is not for commercial use.
    /// </summary>
    [RegularExpression("^(mesh|classic)$", ErrorMessage = "FaceSwap:Local:Pipeline must be 'mesh' or 'classic'.")]
    public string Pipeline { get; set; } = MeshPipeline;

    /// <summary>dlib's 68-point model, read only by the classic pipeline; Debian's <c>libdlib-data</c> installs it at the default path.</summary>
    public string LandmarkModelPath { get; set; } = DebianLandmarkModelPath;

    /// <summary>MediaPipe FaceMesh as ONNX; relative paths are resolved against the application directory.</summary>
    [Required]
    public string MeshModelPath { get; set; } = Path.Combine("Models", "facemesh.onnx");

    /// <summary>BlazeFace ONNX model; relative paths are resolved against the application directory.</summary>
    [Required]
    public string DetectorModelPath { get; set; } = Path.Combine("Models", "face_detection_front_128x128_barracuda.onnx");

    /// <summary>Detector confidence below which a candidate is not a face.</summary>
    [Range(0.1, 0.99)]
    public float MinDetectionScore { get; set; } = 0.75f;

    /// <summary>Faces narrower than this (pixels, in the upright photo) are too small to swap well.</summary>
    [Range(16, 4000)]
    public int MinFaceSize { get; set; } = 80;

    [Range(1, 200)]
    public int MaxImageMegapixels { get; set; } = 40;

    [Range(1, 200)]
    public int MaxImageMegabytes { get; set; } = 30;

    /// <summary>A head turned further than this from the camera (left or right) is refused.</summary>
    [Range(10, 90)]
    public float MaxYawDegrees { get; set; } = 45;

    /// <summary>A head tipped further than this up or down is refused.</summary>
    [Range(10, 90)]
    public float MaxPitchDegrees { get; set; } = 35;

    /// <summary>The most the two heads' yaw or pitch may differ; beyond it too much of the face must be invented.</summary>
    [Range(5, 90)]
    public float MaxPoseDifferenceDegrees { get; set; } = 35;

    /// <summary>How far (in eye distances) the mesh's eyes may lie from the detector's before the mesh counts as not fitting.</summary>
    [Range(0.05, 2)]
    public float MaxMeshMisfit { get; set; } = 0.35f;

    /// <summary>The face mesh's own confidence (0-1) below which it is taken not to sit on a face.</summary>
    [Range(0, 1)]
    public float MinMeshScore { get; set; } = 0.5f;

    /// <summary>The largest share of a face that may be covered by what is not skin (hair, hands) before it is refused.</summary>
    [Range(0.05, 1)]
    public float MaxOccludedShare { get; set; } = 0.4f;

    /// <summary>How far (mean, in eye distances) the result's face may sit from the target's before the result is refused.</summary>
    [Range(0.01, 1)]
    public float MaxResultMeshError { get; set; } = 0.12f;

    /// <summary>Load the models when the host starts rather than on the first request.</summary>
    public bool LoadModelsAtStart { get; set; } = true;

    internal ImageLimits Limits => new(MaxImageMegabytes * 1024L * 1024L, MaxImageMegapixels * 1_000_000L, 20_000);

    public bool UsesClassicPipeline => string.Equals(Pipeline, ClassicPipeline, StringComparison.OrdinalIgnoreCase);

    internal string ResolvedDetectorModelPath => Resolve(DetectorModelPath);

    internal string ResolvedMeshModelPath => Resolve(MeshModelPath);

    private static string Resolve(string path) => Path.IsPathRooted(path) ? path : Path.Combine(AppContext.BaseDirectory, path);
}
