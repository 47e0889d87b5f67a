using System.ComponentModel.DataAnnotations;

namespace FaceSwap.ServiceDefaults;

/// <summary><c>Http:*</c>: the HTTP limits every FaceSwap service applies (see HttpHardeningExtensions).</summary>
public sealed class HttpHardeningOptions
{
    public const string SectionName = "Http";

    /// <summary>Largest request body Kestrel accepts anywhere; a larger one is answered 413.</summary>
    [Range(1024, long.MaxValue, ErrorMessage = "Http:MaxRequestBodyBytes must be between {1} and {2}.")]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How long browsers keep to HTTPS after a response over it (Strict-Transport-Security max-age).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "730.00:00:00", ErrorMessage = "Http:HstsMaxAge must be between 00:00:00 and 730.00:00:00.")]
    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);
}
