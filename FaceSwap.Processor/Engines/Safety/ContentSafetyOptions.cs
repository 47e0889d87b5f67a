using System.ComponentModel.DataAnnotations;

namespace FaceSwap.Processor.Engines.Safety;

/// <summary>Settings of the content-safety gate, section <c>FaceSwap:ContentSafety</c>.</summary>
public sealed class ContentSafetyOptions
{
    public const string SectionName = "FaceSwap:ContentSafety";

    /// <summary>
    /// A photo is refused when Porn + Hentai reaches this probability. 0.95 because the model is often wrong on
    /// close-ups: on the 9 ordinary test photos and 8 variants of each (crops, flips, rescales, a turn, grey) the
    /// whole photos stayed at or below 0.49, but tight crops of faces, of the cat's fur and of the coffee reached
    /// 0.50-0.90 (the highest: a centre crop of a face, 0.90; TensorFlow.js with nsfwjs's own resize gives the same).
    /// Any threshold at or below 0.9 would refuse ordinary close-up selfies. No explicit images were available to
    /// measure the other side, so the value is the highest that still leaves a margin over the worst ordinary photo
    /// while asking the model to be near-certain, as its top class is on clear cases.
    /// </summary>
    [Range(0.05, 1.0)]
    public double RefuseAtExplicitScore { get; set; } = 0.95;

    /// <summary>Whether these scores are refused.</summary>
    public bool Refuses(NsfwScores scores) => scores.Explicit >= RefuseAtExplicitScore;
}
