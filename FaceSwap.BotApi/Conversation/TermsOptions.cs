using System.ComponentModel.DataAnnotations;

namespace FaceSwap.BotApi.Conversation;

/// <summary><c>Terms:*</c>: the terms of use users accept before their first swap.</summary>
public sealed class TermsOptions
{
    public const string SectionName = "Terms";

    /// <summary>
    /// The version of the terms text (BotTexts "Terms"). Change it when the text changes in substance: everyone who
    /// accepted an older version is asked again before their next swap.
    /// </summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9._-]{1,32}$", ErrorMessage = "Terms:Version must be 1-32 letters, digits, dots, dashes or underscores (it travels in a button's data).")]
    public string Version { get; set; } = "2026-12-02";
}
