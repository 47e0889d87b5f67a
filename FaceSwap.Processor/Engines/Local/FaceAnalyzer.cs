using SkiaSharp;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>Detection, then landmarks; the guards (score, size) come first so no landmarks are drawn on non-faces.</summary>
public sealed class FaceAnalyzer(FaceModels models)
{
    /// <summary>Landmark passes: the predictor wants dlib-detector-like boxes, so the box is refitted to the points and run again.</summary>
    private const int LandmarkPasses = 2;

    /// <summary>All faces at least <paramref name="minScore"/>; <paramref name="tooSmall"/> counts those dropped for size.</summary>
    public IReadOnlyList<AnalyzedFace> Analyze(SKBitmap image, float minScore, int minFaceSize, bool everyFace, out int tooSmall)
    {
        var detections = models.Detector.Detect(image, minScore, everyFace);
        tooSmall = detections.Count(d => Math.Min(d.Box.Width, d.Box.Height) < minFaceSize);
        var large = detections.Where(d => Math.Min(d.Box.Width, d.Box.Height) >= minFaceSize).ToList();
        if (large.Count == 0)
        {
            return [];
        }

        var pixels = PixelsOf(image);
        return large.Select(d => new AnalyzedFace(d.Box, d.Score, Landmarks(pixels, d.Box))).ToList();
    }

    public SKPoint[] Landmarks(RgbaPixels pixels, SKRect detectorBox)
    {
        // BlazeFace's box runs from above the brows to the chin; dlib's detector box, which the model was trained on,
        // is about the same size but sits about a tenth of its height higher (measured on the test faces by refitting).
        var box = SKRect.Create(detectorBox.Left, detectorBox.Top - detectorBox.Height * 0.1f, detectorBox.Width, detectorBox.Height);
        SKPoint[] points = [];
        for (var pass = 0; pass < LandmarkPasses; pass++)
        {
            points = models.Landmarks.Predict(pixels, ToDlibRectangle(box));
            box = FitBoxToPoints(points);
        }

        return points;
    }

    /// <summary>
    /// The square box in which the model's mean shape best fits the points (least squares, one scale, like dlib's
    /// square detector boxes). Only the inner points (brows, eyes, nose, mouth) take part: the jaw line follows the
    /// box too loosely and would let the box grow from pass to pass.
    /// </summary>
    private SKRect FitBoxToPoints(SKPoint[] points)
    {
        var mean = models.Landmarks.MeanShape;
        const int firstInner = 17;
        var n = points.Length - firstInner;
        double su = 0, sv = 0, sx = 0, sy = 0;
        for (var i = firstInner; i < points.Length; i++)
        {
            su += mean[i * 2]; sv += mean[i * 2 + 1]; sx += points[i].X; sy += points[i].Y;
        }

        double mu = su / n, mv = sv / n, mx = sx / n, my = sy / n, numerator = 0, denominator = 0;
        for (var i = firstInner; i < points.Length; i++)
        {
            double du = mean[i * 2] - mu, dv = mean[i * 2 + 1] - mv;
            numerator += du * (points[i].X - mx) + dv * (points[i].Y - my);
            denominator += du * du + dv * dv;
        }

        var size = numerator / denominator;
        return SKRect.Create((float)(mx - size * mu), (float)(my - size * mv), (float)size, (float)size);
    }

    private static SKRectI ToDlibRectangle(SKRect box) =>
        new((int)MathF.Round(box.Left), (int)MathF.Round(box.Top), (int)MathF.Round(box.Right), (int)MathF.Round(box.Bottom));

    /// <summary>The bitmap's pixels for the predictor; valid while the bitmap lives and is not resized.</summary>
    public static RgbaPixels PixelsOf(SKBitmap image) => new(image.GetPixels(), image.RowBytes, image.Width, image.Height);
}
