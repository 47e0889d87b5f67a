using SkiaSharp;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>Detection, then the 468-point mesh; the guards (score, size) come first so no mesh is fitted to a non-face.</summary>
public sealed class MeshFaceAnalyzer(BlazeFaceDetector detector, FaceMeshLandmarker landmarker)
{
    /// <summary>Faces of at least <paramref name="minScore"/> and <paramref name="minFaceSize"/>, left to right, with their detections.</summary>
    public IReadOnlyList<(MeshFace Face, DetectorFace Detection)> Analyze(SKBitmap image, float minScore, int minFaceSize, bool everyFace, out int tooSmall)
    {
        // One image for the detector and every mesh: Skia then builds the photo's mipmaps once (6 MB at 4 MP), not once each.
        using var source = BitmapImage.Wrap(image);
        var detections = detector.Detect(source, minScore, everyFace);
        tooSmall = detections.Count(d => Math.Min(d.Box.Width, d.Box.Height) < minFaceSize);
        return detections
            .Where(d => Math.Min(d.Box.Width, d.Box.Height) >= minFaceSize)
            .OrderBy(d => d.Box.MidX)
            .Select(d => (Mesh(source, d), d))
            .ToList();
    }

    /// <summary>
    /// The face at <paramref name="expected"/> found again in <paramref name="image"/> (a swap's result): the detector is
    /// run on a crop around it, so the check costs one small detection and one mesh, not a whole-photo search.
    /// </summary>
    public MeshFace? FindAgain(SKBitmap image, SKRect expected, float minScore)
    {
        var crop = SKRectI.Round(SKRect.Inflate(expected, expected.Width * 0.5f, expected.Height * 0.5f));
        crop = SKRectI.Intersect(crop, SKRectI.Create(0, 0, image.Width, image.Height));
        using var region = new SKBitmap();
        if (crop.Width < 16 || crop.Height < 16 || !image.ExtractSubset(region, crop))
        {
            return null;
        }

        var best = detector.Detect(region, minScore, everyFace: false)
            .Select(d => d with
            {
                Box = SKRect.Create(d.Box.Left + crop.Left, d.Box.Top + crop.Top, d.Box.Width, d.Box.Height),
                RightEye = new SKPoint(d.RightEye.X + crop.Left, d.RightEye.Y + crop.Top),
                LeftEye = new SKPoint(d.LeftEye.X + crop.Left, d.LeftEye.Y + crop.Top),
            })
            .Where(d => Overlap(d.Box, expected) > 0.4f)
            .OrderByDescending(d => Overlap(d.Box, expected))
            .FirstOrDefault();
        // One mesh pass is enough to see whether the face is where it was; the refitting second pass is for accuracy.
        return best.Box.IsEmpty ? null : Mesh(image, best, passes: 1);
    }

    private MeshFace Mesh(SKBitmap image, DetectorFace detection, int passes = FaceMeshLandmarker.DefaultPasses)
    {
        using var source = BitmapImage.Wrap(image);
        return Mesh(source, detection, passes);
    }

    private MeshFace Mesh(SKImage source, DetectorFace detection, int passes = FaceMeshLandmarker.DefaultPasses)
    {
        var mesh = landmarker.Locate(source, detection, passes);
        return new MeshFace(detection.Box, detection.Score, [.. mesh.Points], mesh.FaceScore);
    }

    private static float Overlap(SKRect a, SKRect b)
    {
        var intersection = SKRect.Intersect(a, b);
        return intersection.IsEmpty ? 0 : intersection.Width * intersection.Height / (a.Width * a.Height + b.Width * b.Height - intersection.Width * intersection.Height);
    }
}
