namespace FaceSwap.ContentSafety;

/// <summary>What a refusal was for: an explicit class of the classifier, or both together.</summary>
public enum NsfwClass
{
    /// <summary>Not refused.</summary>
    None,
    Porn,
    Hentai,
    /// <summary>Porn + Hentai together reached <see cref="ContentSafetyOptions.ExplicitThreshold"/>, neither alone its own.</summary>
    Explicit,
}
