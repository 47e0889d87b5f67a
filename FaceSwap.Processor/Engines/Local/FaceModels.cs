using SkiaSharp;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>The loaded models, shared by all swaps: the detector and the landmark predictor are both thread-safe.</summary>
public sealed class FaceModels(BlazeFaceDetector detector, DlibShapePredictor landmarks) : IDisposable
{
    public BlazeFaceDetector Detector { get; } = detector;
    public DlibShapePredictor Landmarks { get; } = landmarks;

    public static FaceModels Load(string detectorPath, string landmarkPath)
    {
        if (!File.Exists(landmarkPath))
        {
            throw new FileNotFoundException(
                $"dlib's landmark model was not found at '{landmarkPath}'. Install it with 'apt-get install libdlib-data' " +
                $"(it lands in {LocalEngineOptions.DebianLandmarkModelPath}) or set FaceSwap:Local:LandmarkModelPath " +
                "(env FaceSwap__Local__LandmarkModelPath) to a copy of shape_predictor_68_face_landmarks.dat.", landmarkPath);
        }

        if (!File.Exists(detectorPath))
        {
            throw new FileNotFoundException(
                $"the BlazeFace detector model was not found at '{detectorPath}'; it ships in the processor's Models folder " +
                "(or set FaceSwap:Local:DetectorModelPath).", detectorPath);
        }

        DlibShapePredictor predictor;
        using (var stream = new FileStream(landmarkPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan))
        {
            predictor = DlibShapePredictor.Load(stream);
        }

        return new FaceModels(new BlazeFaceDetector(detectorPath), predictor);
    }

    public void Dispose() => Detector.Dispose();
}
