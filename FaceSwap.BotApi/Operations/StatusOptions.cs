using System.ComponentModel.DataAnnotations;

namespace FaceSwap.BotApi.Operations;

/// <summary><c>Status:*</c>: the public status page.</summary>
public sealed class StatusOptions
{
    public const string SectionName = "Status";

    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:05", "1.00:00:00", ErrorMessage = "Status:SampleInterval must be between 00:00:05 and 1.00:00:00.")]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The page reuses a health report this young, so a burst of visitors runs the checks once.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Status:ReportCacheDuration must be between 00:00:00 and 01:00:00.")]
    public TimeSpan ReportCacheDuration { get; set; } = TimeSpan.FromSeconds(10);

    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "01:00:00", "400.00:00:00", ErrorMessage = "Status:Retention must be between 01:00:00 and 400.00:00:00.")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(2);
}
