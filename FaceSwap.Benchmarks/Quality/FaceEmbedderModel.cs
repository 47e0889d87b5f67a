namespace FaceSwap.Benchmarks.Quality;

/// <summary>
/// One face-recognition model of FaceSwap.Benchmarks/Models (see MODELS.md there) and how it wants its input.
/// </summary>
/// <param name="FileName">The ONNX file in the Models folder.</param>
/// <param name="OutputName">The output holding the identity vector.</param>
/// <param name="InputSize">The square input's side, in pixels.</param>
/// <param name="PixelScale">What 0..255 RGB values are multiplied by before they go in.</param>
/// <param name="PixelOffset">What is added after scaling (to centre the values on 0 where the model wants it).</param>
/// <param name="FaceScale">
/// How large the aligned face is drawn: 1 puts the five points where 112x112 recognition crops put them (scaled to
/// the input size); smaller values zoom out and show more hair and outline, as loosely cropped training faces did.
/// </param>
public sealed record FaceEmbedderModel(string FileName, string OutputName, int InputSize, float PixelScale, float PixelOffset, float FaceScale)
{
    /// <summary>HSE FaceRes: 1024-d descriptor, trained on loose face crops; RGB 0..255.</summary>
    public static FaceEmbedderModel FaceRes { get; } = new("faceres.onnx", "descriptor", 224, 1f, 0f, 0.8f);

    /// <summary>MobileFace: 256-d, trained on aligned 112x112 crops; RGB 0..255 (it normalises inside).</summary>
    public static FaceEmbedderModel MobileFace { get; } = new("mobileface.onnx", "embedding", 112, 1f, 0f, 1f);

    public static IReadOnlyList<FaceEmbedderModel> All { get; } = [FaceRes, MobileFace];

    public string DefaultPath => Path.Combine(AppContext.BaseDirectory, "Models", FileName);
}
