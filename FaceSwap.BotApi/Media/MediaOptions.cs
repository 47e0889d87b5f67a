namespace FaceSwap.BotApi.Media;

/// <summary><c>Media:*</c>: signed URLs through which the hosted engine fetches a job's photos.</summary>
public sealed class MediaOptions
{
    public const string SectionName = "Media";

    /// <summary>HMAC key (a secret, 32+ characters). Unset: a random key per process, so URLs die with a restart.</summary>
    [System.ComponentModel.DataAnnotations.MinLength(32, ErrorMessage = "Media:SigningKey must be at least 32 characters.")]
    public string? SigningKey { get; set; }

    /// <summary>Base URL the hosted engine can reach; unset: <c>Telegram:PublicUrl</c>; neither: no URLs in jobs.</summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>How long a signed URL works.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Media:UrlLifetime must be between 00:00:01 and 01:00:00.")]
    public TimeSpan UrlLifetime { get; set; } = TimeSpan.FromMinutes(15);
}
