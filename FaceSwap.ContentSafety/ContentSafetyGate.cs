using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace FaceSwap.ContentSafety;

/// <summary>
/// Says whether an image may go on: the nsfwjs classifier's scores judged by <see cref="ContentSafetyOptions"/>.
/// One per service (a singleton): the model is loaded on the first image, so a service that never screens (the
/// operator CLI, a test) never pays its 10 MB, and shared after that (ONNX Runtime's Run is thread-safe).
/// </summary>
public sealed class ContentSafetyGate : IDisposable
{
    private readonly ContentSafetyOptions options;
    private readonly Lazy<NsfwClassifier>? classifier;

    public ContentSafetyGate(IOptions<ContentSafetyOptions> options, ILogger<ContentSafetyGate> logger)
    {
        this.options = options.Value;
        if (this.options.Enabled)
        {
            var modelPath = this.options.ResolvedModelPath;
            classifier = new Lazy<NsfwClassifier>(() => new NsfwClassifier(modelPath), LazyThreadSafetyMode.ExecutionAndPublication);
        }
        else
        {
            // Said once at start, so an operator who switched it off by mistake sees it in the logs.
            logger.LogWarning("Content safety is disabled (ContentSafety:Enabled=false): no image is screened");
        }
    }

    public bool Enabled => classifier is not null;

    /// <summary>Screens decoded pixels (an upload, after its size checks and decoding).</summary>
    public SafetyVerdict Screen(SKBitmap image) =>
        classifier is null ? SafetyVerdict.NotScreened : options.Judge(classifier.Value.Classify(image));

    /// <summary>Screens an encoded image the service made itself (an engine's result).</summary>
    /// <exception cref="InvalidDataException">The bytes do not decode.</exception>
    public SafetyVerdict Screen(ReadOnlySpan<byte> encoded) =>
        classifier is null ? SafetyVerdict.NotScreened : options.Judge(classifier.Value.Classify(encoded));

    public void Dispose()
    {
        if (classifier is { IsValueCreated: true })
        {
            classifier.Value.Dispose();
        }
    }
}
