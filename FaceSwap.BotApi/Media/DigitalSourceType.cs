namespace FaceSwap.BotApi.Media;

/// <summary>
/// Terms of the IPTC Digital Source Type vocabulary (http://cv.iptc.org/newscodes/digitalsourcetype/) that describe
/// a face-swap result, written as <c>Iptc4xmpExt:DigitalSourceType</c> to mark it as AI-altered (EU AI Act Art. 50(2)).
/// </summary>
public static class DigitalSourceType
{
    private const string Vocabulary = "http://cv.iptc.org/newscodes/digitalsourcetype/";

    /// <summary>
    /// A capture combined with output of a trained model: the hosted neural engine paints the swapped face with a
    /// trained generator into the real photo.
    /// </summary>
    public const string CompositeWithTrainedAlgorithmicMedia = Vocabulary + "compositeWithTrainedAlgorithmicMedia";

    /// <summary>
    /// A mix of several elements, at least one of them synthetic. This is the term for the local classical engine:
    /// it warps the face of one real photo onto another with a landmark mesh and blends the seam, so the face region
    /// is computed, not captured (which rules out plain <c>composite</c>), while no trained generator makes any pixel
    /// (its trained models only locate faces and landmarks, which rules out <c>compositeWithTrainedAlgorithmicMedia</c>),
    /// and most of the picture is still the original capture (which rules out <c>algorithmicMedia</c>, meant for media
    /// an algorithm made as a whole).
    /// </summary>
    public const string CompositeSynthetic = Vocabulary + "compositeSynthetic";
}
