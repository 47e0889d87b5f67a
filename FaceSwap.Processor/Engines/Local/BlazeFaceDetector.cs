using FaceSwap.ContentSafety;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SkiaSharp;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>
/// MediaPipe BlazeFace (short range, 128x128) run with ONNX Runtime. The photo is letterboxed into the square
/// input, each of the 896 anchors gives a score and a box, and overlapping anchors are merged by weighted
/// non-maximum suppression as MediaPipe does.
/// </summary>
public sealed class BlazeFaceDetector : IDisposable
{
    private const int InputSize = 128;
    private const int KeypointCount = 6;
    private const int ValuesPerAnchor = 4 + 2 * KeypointCount;

    private readonly InferenceSession session;
    private readonly string inputName;

    public BlazeFaceDetector(string modelPath)
    {
        session = OnnxSessions.OpenSingleThreaded(modelPath);
        inputName = session.InputMetadata.Keys.Single();
    }

    /// <summary>
    /// Faces with a score of at least <paramref name="minScore"/>, best first. The short-range model only sees faces
    /// that fill a fair part of its square input, so besides the whole photo it also looks at 3x3 overlapping tiles of
    /// half the photo's size: that finds faces down to about a tenth of the photo's longer side.
    /// </summary>
    /// <param name="everyFace">
    /// Look at the tiles even when the whole photo already shows a face (to find every face of a group photo);
    /// otherwise the tiles are only searched when the whole photo shows nothing, which saves nine model runs.
    /// </param>
    public IReadOnlyList<DetectorFace> Detect(SKBitmap image, float minScore, bool everyFace = true)
    {
        using var source = BitmapImage.Wrap(image);
        return Detect(source, minScore, everyFace);
    }

    /// <summary>The same on an image that is also drawn from elsewhere: Skia builds its mipmaps once for all who draw it.</summary>
    public IReadOnlyList<DetectorFace> Detect(SKImage image, float minScore, bool everyFace = true)
    {
        var found = new List<DetectorFace>(DetectIn(image, SKRect.Create(0, 0, image.Width, image.Height), minScore));
        var side = Math.Max(image.Width, image.Height) / 2f;
        if ((everyFace || found.Count == 0) && side >= 64)
        {
            var stepX = Math.Max(1f, (image.Width - side) / 2f);
            var stepY = Math.Max(1f, (image.Height - side) / 2f);
            for (var ty = 0; ty < 3; ty++)
            {
                for (var tx = 0; tx < 3; tx++)
                {
                    var tile = SKRect.Create(Math.Min(tx * stepX, Math.Max(0, image.Width - side)), Math.Min(ty * stepY, Math.Max(0, image.Height - side)), side, side);
                    found.AddRange(DetectIn(image, tile, minScore));
                }
            }
        }

        return SuppressDuplicates(found);
    }

    private List<DetectorFace> DetectIn(SKImage source, SKRect region, float minScore)
    {
        var scale = InputSize / Math.Max(region.Width, region.Height);
        var padX = (InputSize - region.Width * scale) / 2;
        var padY = (InputSize - region.Height * scale) / 2;

        var input = new DenseTensor<float>([1, InputSize, InputSize, 3]);
        using (var square = new SKBitmap(new SKImageInfo(InputSize, InputSize, SKColorType.Rgba8888, SKAlphaType.Premul)))
        {
            using (var canvas = new SKCanvas(square))
            {
                canvas.Clear(SKColors.Black);
                var target = SKRect.Create(padX, padY, region.Width * scale, region.Height * scale);
                canvas.DrawImage(source, region, target, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear), null);
            }

            var pixels = square.GetPixelSpan();
            var values = input.Buffer.Span;
            for (int i = 0, o = 0; i < InputSize * InputSize; i++, o += 3)
            {
                // The model was trained on RGB scaled to [-1, 1].
                values[o] = pixels[i * 4] / 127.5f - 1f;
                values[o + 1] = pixels[i * 4 + 1] / 127.5f - 1f;
                values[o + 2] = pixels[i * 4 + 2] / 127.5f - 1f;
            }
        }

        using var outputs = session.Run([NamedOnnxValue.CreateFromTensor(inputName, input)]);
        var byName = outputs.ToDictionary(o => o.Name, o => o.AsTensor<float>());
        var candidates = new List<Candidate>();
        Decode(byName["Identity:0"], byName["Identity_2:0"], grid: 16, anchorsPerCell: 2, minScore, candidates);
        Decode(byName["Identity_1:0"], byName["Identity_3:0"], grid: 8, anchorsPerCell: 6, minScore, candidates);

        var offsetX = region.Left - padX / scale;
        var offsetY = region.Top - padY / scale;
        return WeightedNonMaximumSuppression(candidates)
            .Select(c => new DetectorFace(
                ToImage(c.Box, scale, offsetX, offsetY),
                c.Score,
                ToImage(c.RightEye, scale, offsetX, offsetY),
                ToImage(c.LeftEye, scale, offsetX, offsetY)))
            .ToList();
    }

    /// <summary>A face seen in several tiles (or cut by a tile edge) is kept once: the best-scoring, unclipped box wins.</summary>
    private static List<DetectorFace> SuppressDuplicates(List<DetectorFace> faces)
    {
        var kept = new List<DetectorFace>();
        foreach (var face in faces.OrderByDescending(f => f.Score))
        {
            var same = kept.FindIndex(k => Overlap(k.Box, face.Box) > 0.4f);
            if (same < 0)
            {
                kept.Add(face);
            }
            else if (Area(face.Box) > Area(kept[same].Box) * 1.2f && face.Score > kept[same].Score - 0.1f)
            {
                // The kept box was probably cut by a tile edge; the larger one, nearly as sure, is the whole face.
                kept[same] = face;
            }
        }

        return kept;
    }

    private static float Area(SKRect box) => box.Width * box.Height;

    /// <summary>Intersection over the smaller box: a partial face inside a full one counts as the same face.</summary>
    private static float Overlap(SKRect a, SKRect b)
    {
        var intersection = SKRect.Intersect(a, b);
        return intersection.IsEmpty ? 0 : Area(intersection) / MathF.Min(Area(a), Area(b));
    }

    private static void Decode(Tensor<float> scores, Tensor<float> regressors, int grid, int anchorsPerCell, float minScore, List<Candidate> into)
    {
        var scoreValues = ((DenseTensor<float>)scores).Buffer.Span;
        var boxValues = ((DenseTensor<float>)regressors).Buffer.Span;
        for (var anchor = 0; anchor < grid * grid * anchorsPerCell; anchor++)
        {
            var score = 1f / (1f + MathF.Exp(-Math.Clamp(scoreValues[anchor], -80f, 80f)));
            if (score < minScore)
            {
                continue;
            }

            var cell = anchor / anchorsPerCell;
            var anchorX = (cell % grid + 0.5f) / grid * InputSize;
            var anchorY = (cell / grid + 0.5f) / grid * InputSize;
            var v = boxValues.Slice(anchor * ValuesPerAnchor, ValuesPerAnchor);
            var centreX = anchorX + v[0];
            var centreY = anchorY + v[1];
            var box = SKRect.Create(centreX - v[2] / 2, centreY - v[3] / 2, v[2], v[3]);
            into.Add(new Candidate(box, score, new SKPoint(anchorX + v[4], anchorY + v[5]), new SKPoint(anchorX + v[6], anchorY + v[7])));
        }
    }

    /// <summary>Several anchors fire per face; average the overlapping ones weighted by score (MediaPipe's blending).</summary>
    private static List<Candidate> WeightedNonMaximumSuppression(List<Candidate> candidates)
    {
        var remaining = candidates.OrderByDescending(c => c.Score).ToList();
        var merged = new List<Candidate>();
        while (remaining.Count > 0)
        {
            var best = remaining[0];
            var overlapping = remaining.Where(c => IntersectionOverUnion(best.Box, c.Box) > 0.3f).ToList();
            remaining.RemoveAll(overlapping.Contains);
            var total = overlapping.Sum(c => c.Score);
            float Average(Func<Candidate, float> value) => overlapping.Sum(c => value(c) * c.Score) / total;
            merged.Add(new Candidate(
                new SKRect(Average(c => c.Box.Left), Average(c => c.Box.Top), Average(c => c.Box.Right), Average(c => c.Box.Bottom)),
                best.Score,
                new SKPoint(Average(c => c.RightEye.X), Average(c => c.RightEye.Y)),
                new SKPoint(Average(c => c.LeftEye.X), Average(c => c.LeftEye.Y))));
        }

        return merged;
    }

    private static float IntersectionOverUnion(SKRect a, SKRect b)
    {
        var intersection = SKRect.Intersect(a, b);
        if (intersection.IsEmpty)
        {
            return 0;
        }

        var overlap = intersection.Width * intersection.Height;
        return overlap / (a.Width * a.Height + b.Width * b.Height - overlap);
    }

    private static SKRect ToImage(SKRect box, float scale, float offsetX, float offsetY) =>
        new(box.Left / scale + offsetX, box.Top / scale + offsetY, box.Right / scale + offsetX, box.Bottom / scale + offsetY);

    private static SKPoint ToImage(SKPoint point, float scale, float offsetX, float offsetY) =>
        new(point.X / scale + offsetX, point.Y / scale + offsetY);

    public void Dispose() => session.Dispose();

    private readonly record struct Candidate(SKRect Box, float Score, SKPoint RightEye, SKPoint LeftEye);
}
