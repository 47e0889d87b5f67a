using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SkiaSharp;

namespace FaceSwap.ContentSafety;

/// <summary>
/// nsfwjs's MobileNetV2 content classifier (MIT, converted to ONNX by scripts/models) run with ONNX Runtime.
/// Load once and share: the session is opened in the constructor and ONNX Runtime's Run is thread-safe.
/// </summary>
/// <remarks>
/// The whole image is stretched to 224x224, neither centre-cropped nor letterboxed. nsfwjs itself feeds the model
/// that way (a bilinear resize of the full frame), so the scores mean what nsfwjs's do; and a safety gate must see
/// the whole frame: a centre crop of a wide or tall photo drops up to half of it, where explicit content could sit
/// next to an ordinary face. Letterbox bars were never part of the model's input in nsfwjs.
/// </remarks>
public sealed class NsfwClassifier : IDisposable
{
    public const int InputSize = 224;
    private const string OutputName = "probabilities";
    private const int ClassCount = 5;

    /// <summary>The model this project ships: it is copied into the Models folder of the bot API and the processor.</summary>
    public static string DefaultModelPath => Path.Combine(AppContext.BaseDirectory, "Models", "nsfw-mobilenet-v2.onnx");

    private readonly InferenceSession session;
    private readonly string inputName;

    public NsfwClassifier(string modelPath)
    {
        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException($"the content-safety model was not found at '{modelPath}'; it ships in the Models folder of the service.", modelPath);
        }

        session = OnnxSessions.OpenSingleThreaded(modelPath);
        inputName = session.InputMetadata.Keys.Single();
        if (!session.OutputMetadata.TryGetValue(OutputName, out var output) || output.Dimensions[^1] != ClassCount)
        {
            session.Dispose();
            throw new InvalidDataException($"'{modelPath}' is not the nsfwjs classifier: it has no '{OutputName}' output of {ClassCount} classes");
        }
    }

    /// <summary>
    /// Scores an encoded image the service made itself (an engine's result); uploads are decoded with their size checks
    /// by the caller and given as a bitmap. EXIF orientation is not applied: the engines write none.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are not an image Skia decodes.</exception>
    public NsfwScores Classify(ReadOnlySpan<byte> encoded)
    {
        using var image = DecodeForScreening(encoded);
        return Classify(image);
    }

    /// <summary>
    /// Decodes at the smallest size the codec can decode directly (a JPEG at 1/8 to 8/8) that is still at least twice
    /// the model's input on both sides: the model sees 224 x 224 either way, drawn with mipmaps, so the full size only
    /// costs time and memory (17 MB and a full decode for a 4 MP result; a quarter-size decode needs 1 MB).
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are not an image Skia decodes.</exception>
    internal static SKBitmap DecodeForScreening(ReadOnlySpan<byte> encoded)
    {
        using var data = encoded.IsEmpty ? null : SKData.CreateCopy(encoded);
        using var codec = data is null ? null : SKCodec.Create(data);
        if (codec is null)
        {
            throw new InvalidDataException("not an image: the content-safety check could not decode it");
        }

        var full = codec.Info.Size;
        var size = full;
        // JPEG's DCT scaling decodes in eighths; other codecs give back the full size for every scale.
        for (var eighths = 1; eighths < 8; eighths++)
        {
            var scaled = codec.GetScaledDimensions(eighths / 8f);
            if (scaled.Width >= 2 * InputSize && scaled.Height >= 2 * InputSize && scaled.Width < full.Width)
            {
                size = scaled;
                break;
            }
        }

        var image = size == full ? SKBitmap.Decode(codec) : SKBitmap.Decode(codec, codec.Info.WithSize(size));
        return image ?? throw new InvalidDataException("not an image: the content-safety check could not decode it");
    }

    public NsfwScores Classify(SKBitmap image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var input = new DenseTensor<float>([1, InputSize, InputSize, 3]);
        using (var square = new SKBitmap(new SKImageInfo(InputSize, InputSize, SKColorType.Rgba8888, SKAlphaType.Opaque)))
        {
            using (var canvas = new SKCanvas(square))
            // A view of the bitmap's pixels, not a copy (SKImage.FromBitmap copies a mutable bitmap: 160 MB at 40 MP).
            using (var pixels = image.PeekPixels() ?? throw new ArgumentException("the bitmap has no pixels", nameof(image)))
            using (var source = SKImage.FromPixels(pixels) ?? throw new ArgumentException("the bitmap's pixels cannot be read", nameof(image)))
            {
                // Transparent areas read as black, which is what TensorFlow.js's fromPixels gives nsfwjs for them.
                canvas.Clear(SKColors.Black);
                // Mipmaps average a large photo down instead of sampling every n-th pixel, so a 4000 px upload and
                // its 500 px copy give the model the same picture.
                canvas.DrawImage(source, new SKRect(0, 0, image.Width, image.Height), new SKRect(0, 0, InputSize, InputSize),
                    new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
            }

            var rgba = square.GetPixelSpan();
            var values = input.Buffer.Span;
            for (int i = 0, o = 0; i < InputSize * InputSize; i++, o += 3)
            {
                // The model takes RGB scaled to [0, 1], as nsfwjs divides by 255.
                values[o] = rgba[i * 4] / 255f;
                values[o + 1] = rgba[i * 4 + 1] / 255f;
                values[o + 2] = rgba[i * 4 + 2] / 255f;
            }
        }

        using var outputs = session.Run([NamedOnnxValue.CreateFromTensor(inputName, input)], [OutputName]);
        var p = ((DenseTensor<float>)outputs[0].AsTensor<float>()).Buffer.Span;
        // The class order of nsfwjs's labels: Drawing, Hentai, Neutral, Porn, Sexy.
        return new NsfwScores(Drawing: p[0], Hentai: p[1], Neutral: p[2], Porn: p[3], Sexy: p[4]);
    }

    public void Dispose() => session.Dispose();
}
