using System.ComponentModel.DataAnnotations;

namespace FaceSwap.BotApi.Media;

/// <summary><c>Blobs:*</c>: how long photos stay in Redis.</summary>
public sealed class BlobOptions
{
    public const string SectionName = "Blobs";

    /// <summary>How long input photos live in Redis; they are deleted after the job or at this age.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "Blobs:InputTimeToLive must be between 00:01:00 and 7.00:00:00.")]
    public TimeSpan InputTimeToLive { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a result lives in Redis after it is delivered, for "send as file" and reports; the privacy text states it.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "Blobs:ResultTimeToLive must be between 00:01:00 and 7.00:00:00.")]
    public TimeSpan ResultTimeToLive { get; set; } = TimeSpan.FromHours(1);
}
