using FaceSwap.Processor.Engines.Local;
using SkiaSharp;

namespace FaceSwap.Benchmarks.Quality;

/// <summary>
/// Brings a face to the pose recognition models were trained on: the similarity transform (turn, uniform scale,
/// shift) that best maps its five points onto a fixed template, fitted by least squares. Written here because the
/// closed form is a few lines and SkiaSharp has no point-set fitting; a reflection is never allowed.
/// </summary>
public static class FaceEmbedderAlignment
{
    /// <summary>
    /// Where 112x112 face-recognition crops (the ArcFace/InsightFace convention most embedders are trained on) put
    /// the eye centres, nose tip and mouth corners, image-left first.
    /// </summary>
    private static readonly SKPoint[] Template112 =
    [
        new(38.2946f, 51.6963f), new(73.5318f, 51.5014f), new(56.0252f, 71.7366f), new(41.5493f, 92.3655f), new(70.7299f, 92.2041f),
    ];

    /// <summary>The template for a square crop of <paramref name="size"/> pixels with the face drawn at <paramref name="faceScale"/>.</summary>
    public static SKPoint[] Template(int size, float faceScale)
    {
        var scale = size / 112f * faceScale;
        var offset = size / 2f;
        return Template112.Select(p => new SKPoint((p.X - 56f) * scale + offset, (p.Y - 56f) * scale + offset)).ToArray();
    }

    /// <summary>The photo-to-crop matrix of the least-squares similarity from <paramref name="from"/> onto <paramref name="to"/>.</summary>
    public static SKMatrix Fit(ReadOnlySpan<SKPoint> from, ReadOnlySpan<SKPoint> to)
    {
        if (from.Length != to.Length || from.Length < 2)
        {
            throw new ArgumentException("a similarity needs at least two matching points");
        }

        var fromMean = Mean(from);
        var toMean = Mean(to);
        double dot = 0, cross = 0, norm = 0;
        for (var i = 0; i < from.Length; i++)
        {
            var p = from[i] - fromMean;
            var q = to[i] - toMean;
            dot += p.X * q.X + p.Y * q.Y;
            cross += p.X * q.Y - p.Y * q.X;
            norm += p.X * p.X + p.Y * p.Y;
        }

        // q = [a -b; b a] p + t, with a = s*cos, b = s*sin of the turn.
        var a = (float)(dot / norm);
        var b = (float)(cross / norm);
        var tx = toMean.X - (a * fromMean.X - b * fromMean.Y);
        var ty = toMean.Y - (b * fromMean.X + a * fromMean.Y);
        return new SKMatrix(a, -b, tx, b, a, ty, 0, 0, 1);
    }

    /// <summary>The aligned square crop a model of <paramref name="model"/>'s input size sees.</summary>
    public static SKBitmap Crop(SKBitmap image, FaceMeshFivePoints points, FaceEmbedderModel model)
    {
        var matrix = Fit(points.ToArray(), Template(model.InputSize, model.FaceScale));
        var crop = new SKBitmap(new SKImageInfo(model.InputSize, model.InputSize, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using var canvas = new SKCanvas(crop);
        using var source = SKImage.FromBitmap(image);
        // Black outside the photo, as recognition crops are padded.
        canvas.Clear(SKColors.Black);
        canvas.SetMatrix(matrix);
        canvas.DrawImage(source, 0, 0, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear), null);
        return crop;
    }

    private static SKPoint Mean(ReadOnlySpan<SKPoint> points)
    {
        float x = 0, y = 0;
        foreach (var p in points)
        {
            x += p.X;
            y += p.Y;
        }

        return new SKPoint(x / points.Length, y / points.Length);
    }
}
