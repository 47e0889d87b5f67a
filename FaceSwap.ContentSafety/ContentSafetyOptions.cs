using System.ComponentModel.DataAnnotations;

namespace FaceSwap.ContentSafety;

/// <summary>
/// Settings of the content-safety gate, section <c>ContentSafety</c> (env <c>ContentSafety__PornThreshold</c> and so
/// on), read by the bot API (input photos) and the processor (results). Validated at start.
/// </summary>
/// <remarks>
/// Why 0.95 by default: on the 9 ordinary test photos and 8 variants of each (crops, flips, rescales, a turn, grey) the
/// whole photos stayed at or below 0.49 (Porn + Hentai), but tight crops of faces, of the cat's fur and of the coffee
/// reached 0.50-0.90 (the highest: a centre crop of a face, 0.90; TensorFlow.js with nsfwjs's own resize gives the
/// same). Any threshold at or below 0.9 would refuse ordinary close-up selfies. No explicit images were available to
/// measure the other side, so the value is the highest that still leaves a margin over the worst ordinary photo while
/// asking the model to be near-certain, as its top class is on clear cases. docs/benchmarks.md "Content safety" has
/// the measurement.
/// </remarks>
public sealed class ContentSafetyOptions : IValidatableObject
{
    public const string SectionName = "ContentSafety";

    /// <summary>Off only for a deployment that screens elsewhere; the gate then passes everything and says so in the logs.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A photo is refused when the Porn class reaches this probability.</summary>
    [Range(0.05, 1.0, ErrorMessage = "ContentSafety:PornThreshold must be between 0.05 and 1.")]
    public double PornThreshold { get; set; } = 0.95;

    /// <summary>A photo is refused when the Hentai class (drawn explicit content) reaches this probability.</summary>
    [Range(0.05, 1.0, ErrorMessage = "ContentSafety:HentaiThreshold must be between 0.05 and 1.")]
    public double HentaiThreshold { get; set; } = 0.95;

    /// <summary>
    /// A photo is refused when Porn + Hentai together reach this: the model often splits a clear case between the two
    /// explicit classes, and each alone would then stay under its threshold.
    /// </summary>
    [Range(0.05, 1.0, ErrorMessage = "ContentSafety:ExplicitThreshold must be between 0.05 and 1.")]
    public double ExplicitThreshold { get; set; } = 0.95;

    /// <summary>The model file; by default the one shipped in the service's Models folder.</summary>
    public string? ModelPath { get; set; }

    public string ResolvedModelPath => string.IsNullOrWhiteSpace(ModelPath) ? NsfwClassifier.DefaultModelPath : ModelPath;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && !File.Exists(ResolvedModelPath))
        {
            yield return new("the content-safety model was not found at ContentSafety:ModelPath (by default it ships in the service's Models folder as nsfw-mobilenet-v2.onnx).",
                [nameof(ModelPath)]);
        }
    }

    /// <summary>The verdict on these scores: the first explicit class at or over its threshold, else safe.</summary>
    public SafetyVerdict Judge(NsfwScores scores)
    {
        if (scores.Porn >= PornThreshold)
        {
            return SafetyVerdict.Refused(NsfwClass.Porn, scores.Porn, scores);
        }

        if (scores.Hentai >= HentaiThreshold)
        {
            return SafetyVerdict.Refused(NsfwClass.Hentai, scores.Hentai, scores);
        }

        return scores.Explicit >= ExplicitThreshold
            ? SafetyVerdict.Refused(NsfwClass.Explicit, scores.Explicit, scores)
            : SafetyVerdict.Passed(scores);
    }
}
