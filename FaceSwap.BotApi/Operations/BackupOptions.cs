using System.ComponentModel.DataAnnotations;

namespace FaceSwap.BotApi.Operations;

/// <summary><c>Backups:*</c>: SQLite snapshots.</summary>
public sealed class BackupOptions
{
    public const string SectionName = "Backups";

    public bool Enabled { get; set; } = true;

    /// <summary>Where snapshots go; default: a <c>backups</c> folder next to the database.</summary>
    public string? Directory { get; set; }

    [Range(typeof(TimeSpan), "00:01:00", "10675199.02:48:05.4775807", ErrorMessage = "Backups:Interval must be at least 00:01:00.")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The newest this many snapshots are kept...</summary>
    [Range(1, 10_000, ErrorMessage = "Backups:KeepLatest must be between {1} and {2}.")]
    public int KeepLatest { get; set; } = 24;

    /// <summary>...plus the newest of each day for this many days.</summary>
    [Range(0, 3650, ErrorMessage = "Backups:KeepDailyDays must be between {1} and {2}.")]
    public int KeepDailyDays { get; set; } = 14;
}
