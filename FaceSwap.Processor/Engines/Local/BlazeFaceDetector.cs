using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SkiaSharp;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>A face found by the detector, in image pixels, before landmarks.</summary>
public readonly record struct DetectorFace(SKRect Box, float Score, SKPoint RightEye, SKPoint LeftEye);

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
        using var sessionOptions = new Microsoft.ML.OnnxRuntime.SessionOptions
        {
            // The model is tiny; extra threads only compete with the other swaps running on the same cores.
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            // The model carries unused initialisers ONNX Runtime warns about on every load; the CLI keeps stderr to one line.
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        session = new InferenceSession(modelPath, sessionOptions);
        inputName = session.InputMetadata.Keys.Single();
    }

    /// <summary>Faces with a score of at least <paramref name="minScore"/>, best first.</summary>
    public IReadOnlyList<DetectorFace> Detect(SKBitmap image, float minScore)
    {
        var scale = (float)InputSize / Math.Max(image.Width, image.Height);
        var padX = (InputSize - image.Width * scale) / 2;
        var padY = (InputSize - image.Height * scale) / 2;

        var input = new DenseTensor<float>([1, InputSize, InputSize, 3]);
        using (var square = new SKBitmap(new SKImageInfo(InputSize, InputSize, SKColorType.Rgba8888, SKAlphaType.Premul)))
        {
            using (var canvas = new SKCanvas(square))
            using (var source = SKImage.FromBitmap(image))
            {
                canvas.Clear(SKColors.Black);
                var target = SKRect.Create(padX, padY, image.Width * scale, image.Height * scale);
                canvas.DrawImage(source, target, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
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

        return WeightedNonMaximumSuppression(candidates)
            .Select(c => new DetectorFace(
                Unletterbox(c.Box, scale, padX, padY),
                c.Score,
                Unletterbox(c.RightEye, scale, padX, padY),
                Unletterbox(c.LeftEye, scale, padX, padY)))
            .OrderByDescending(f => f.Score)
            .ToList();
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

    private static SKRect Unletterbox(SKRect box, float scale, float padX, float padY) =>
        new((box.Left - padX) / scale, (box.Top - padY) / scale, (box.Right - padX) / scale, (box.Bottom - padY) / scale);

    private static SKPoint Unletterbox(SKPoint point, float scale, float padX, float padY) =>
        new((point.X - padX) / scale, (point.Y - padY) / scale);

    public void Dispose() => session.Dispose();

    private readonly record struct Candidate(SKRect Box, float Score, SKPoint RightEye, SKPoint LeftEye);
}
