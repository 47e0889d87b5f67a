using System.ComponentModel.DataAnnotations;

namespace FaceSwap.BotApi.Media;

/// <summary>
/// <c>AiLabel:*</c>: the visible mark on results. Every result always carries the caption line and the IPTC mark in its
/// XMP; the visible mark is the operator's choice on top (off by default: it spoils the picture a little).
/// </summary>
public sealed class AiLabelOptions : IValidatableObject
{
    public const string SectionName = "AiLabel";

    /// <summary>Draw <see cref="VisibleMarkText"/> small and semi-transparent in the bottom-right corner of every result.</summary>
    public bool VisibleMark { get; set; }

    [Required, StringLength(40, MinimumLength = 1, ErrorMessage = "AiLabel:VisibleMarkText must be 1-40 characters.")]
    public string VisibleMarkText { get; set; } = "AI-edited";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (VisibleMark && !AiContentLabel.CanDrawVisibleMark(VisibleMarkText))
        {
            yield return new("AiLabel:VisibleMarkText has characters no font can draw (the embedded DejaVu Sans covers Latin, Greek and Cyrillic).",
                [nameof(VisibleMarkText)]);
        }
    }
}
