using System.ComponentModel.DataAnnotations;

namespace FaceSwap.BotApi.Media;

/// <summary>What <see cref="AiContentLabel.Apply"/> writes into a result's XMP packet.</summary>
public sealed record AiContentLabelOptions
{
    /// <summary>Name of the local classical engine, as the processor reports it (LocalFaceSwapEngine.EngineName).</summary>
    public const string LocalEngineName = "local";

    /// <summary>An IPTC Digital Source Type term URI, see <see cref="DigitalSourceType"/>.</summary>
    [Required, Url]
    public required string DigitalSourceType { get; init; }

    /// <summary>The software that made the image, e.g. <c>FaceSwap 1.2.3</c> (<c>xmp:CreatorTool</c>).</summary>
    [Required, StringLength(200)]
    public required string CreatorTool { get; init; }

    /// <summary>Credit line (<c>photoshop:Credit</c>, IPTC Core's "Credit Line").</summary>
    [Required, StringLength(500)]
    public required string Credit { get; init; }

    /// <summary>Plain-language statement that the image was altered by AI (<c>dc:description</c>).</summary>
    [Required, StringLength(2000)]
    public required string Description { get; init; }

    /// <summary>When the result was made (<c>xmp:CreateDate</c>, <c>xmp:ModifyDate</c> and <c>xmp:MetadataDate</c>).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// The label for a result of the named engine. Every engine but the local classical one gets the trained-model
    /// term: an engine added later must not be under-declared as less AI than it is.
    /// </summary>
    public static AiContentLabelOptions ForEngine(string engineName, string version, DateTimeOffset createdAt)
    {
        var classical = string.Equals(engineName, LocalEngineName, StringComparison.OrdinalIgnoreCase);
        return new AiContentLabelOptions
        {
            DigitalSourceType = classical ? Media.DigitalSourceType.CompositeSynthetic : Media.DigitalSourceType.CompositeWithTrainedAlgorithmicMedia,
            CreatorTool = $"FaceSwap {version}",
            Credit = "Altered with AI (face swap) by FaceSwap",
            Description = classical
                ? "AI-edited image: a face in this photo was replaced by FaceSwap's automatic face-swap (landmark warp and blending). It does not show a real scene."
                : "AI-generated content: a face in this photo was replaced by FaceSwap using a trained neural face-swap model. It does not show a real scene.",
            CreatedAt = createdAt,
        };
    }
}
