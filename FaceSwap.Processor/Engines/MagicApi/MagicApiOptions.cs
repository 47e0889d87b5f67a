using System.ComponentModel.DataAnnotations;

namespace FaceSwap.Processor.Engines.MagicApi;

/// <summary>
/// Settings of the hosted engine, section <c>MagicApi</c>. Base URL, paths and header name are configurable
/// because the provider has renamed them before. The key may also come from env <c>MAGICAPI_KEY</c>.
/// </summary>
public sealed class MagicApiOptions
{
    public const string SectionName = "MagicApi";
    public const string KeyEnvironmentVariable = "MAGICAPI_KEY";

    [Required(ErrorMessage = "MagicApi:Key (or env MAGICAPI_KEY) is required when FaceSwap:Engine is magicapi.")]
    public string? Key { get; set; }

    [Required]
    public Uri BaseUrl { get; set; } = new("https://prod.api.market/api/v1/magicapi/faceswap-capix/");

    [Required]
    public string RunPath { get; set; } = "image/run";

    [Required]
    public string ResultPath { get; set; } = "image/result/";

    [Required]
    public string KeyHeader { get; set; } = "x-magicapi-key";

    /// <summary>How long to wait between result polls.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Give up on a job (reason Timeout) after this long.</summary>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>First retry delay for 429 and 5xx answers; later ones back off exponentially.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    [Range(1, 200)]
    public int MaxOutputMegabytes { get; set; } = 30;
}
