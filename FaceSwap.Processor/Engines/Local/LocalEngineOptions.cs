using System.ComponentModel.DataAnnotations;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>Settings of the offline engine, section <c>FaceSwap:Local</c>.</summary>
public sealed class LocalEngineOptions
{
    public const string SectionName = "FaceSwap:Local";
    public const string DebianLandmarkModelPath = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat";

    /// <summary>dlib's 68-point model; Debian's <c>libdlib-data</c> installs it at the default path.</summary>
    [Required]
    public string LandmarkModelPath { get; set; } = DebianLandmarkModelPath;

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

    /// <summary>Load the models when the host starts rather than on the first request.</summary>
    public bool LoadModelsAtStart { get; set; } = true;

    internal ImageLimits Limits => new(MaxImageMegabytes * 1024L * 1024L, MaxImageMegapixels * 1_000_000L, 20_000);

    internal string ResolvedDetectorModelPath => Path.IsPathRooted(DetectorModelPath)
        ? DetectorModelPath
        : Path.Combine(AppContext.BaseDirectory, DetectorModelPath);
}
