using FaceSwap.ContentSafety;
using FaceSwap.Processor.Engines.Local;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SkiaSharp;

namespace FaceSwap.Benchmarks.Quality;

/// <summary>
/// An identity vector of a face, for measuring swaps: how much the result looks like the source person, and how
/// much of the target person is left. The face is aligned on its five points, run through one recognition model of
/// FaceSwap.Benchmarks/Models and L2-normalised, so <see cref="Cosine"/> of two vectors is their dot product.
/// Measuring only: these models are not part of the product (see Models/MODELS.md). Thread-safe; load once.
/// </summary>
public sealed class FaceEmbedder : IDisposable
{
    private readonly InferenceSession session;
    private readonly string inputName;

    public FaceEmbedder(FaceEmbedderModel model)
        : this(model, model.DefaultPath)
    {
    }

    public FaceEmbedder(FaceEmbedderModel model, string modelPath)
    {
        Model = model;
        session = OnnxSessions.OpenSingleThreaded(modelPath);
        inputName = session.InputMetadata.Keys.Single();
    }

    public FaceEmbedderModel Model { get; }

    /// <summary>The unit-length identity vector of the face at <paramref name="points"/>.</summary>
    public float[] Embed(SKBitmap image, FaceMeshFivePoints points)
    {
        using var crop = FaceEmbedderAlignment.Crop(image, points, Model);
        return EmbedAligned(crop);
    }

    /// <summary>The unit-length identity vector of a crop already aligned to <see cref="Model"/>'s input.</summary>
    public float[] EmbedAligned(SKBitmap crop)
    {
        var size = Model.InputSize;
        if (crop.Width != size || crop.Height != size || crop.ColorType != SKColorType.Rgba8888)
        {
            throw new ArgumentException($"an aligned crop is {size}x{size} RGBA", nameof(crop));
        }

        var input = new DenseTensor<float>([1, size, size, 3]);
        var pixels = crop.GetPixelSpan();
        var values = input.Buffer.Span;
        for (int i = 0, o = 0; i < size * size; i++, o += 3)
        {
            values[o] = pixels[i * 4] * Model.PixelScale + Model.PixelOffset;
            values[o + 1] = pixels[i * 4 + 1] * Model.PixelScale + Model.PixelOffset;
            values[o + 2] = pixels[i * 4 + 2] * Model.PixelScale + Model.PixelOffset;
        }

        using var outputs = session.Run([NamedOnnxValue.CreateFromTensor(inputName, input)], [Model.OutputName]);
        var vector = outputs[0].AsTensor<float>().ToArray();
        var length = MathF.Sqrt(vector.Sum(v => v * v));
        if (length == 0)
        {
            throw new InvalidOperationException($"{Model.FileName} gave an all-zero vector");
        }

        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] /= length;
        }

        return vector;
    }

    /// <summary>Cosine similarity of two vectors: 1 the same direction, 0 unrelated.</summary>
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException("vectors of different models cannot be compared");
        }

        double dot = 0, normA = 0, normB = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            normA += a[i] * a[i];
            normB += b[i] * b[i];
        }

        return (float)(dot / Math.Sqrt(normA * normB));
    }

    public void Dispose() => session.Dispose();
}
