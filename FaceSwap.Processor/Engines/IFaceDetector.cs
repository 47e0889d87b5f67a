namespace FaceSwap.Processor.Engines;

/// <summary>
/// Finds the faces of a photo, numbered left to right. Choosing which face of a group photo to replace uses this
/// whatever the swap engine is (the hosted engine has no detection of its own), and an index given to a swap means the
/// same face as here.
/// </summary>
public interface IFaceDetector
{
    /// <summary>Faces left to right, with boxes, scores and landmarks.</summary>
    /// <exception cref="FaceSwapException">The photo cannot be read, or the detector is unavailable.</exception>
    Task<IReadOnlyList<DetectedFace>> DetectAsync(EngineImage image, CancellationToken cancellationToken);
}
