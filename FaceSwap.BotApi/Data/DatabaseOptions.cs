namespace FaceSwap.BotApi.Data;

/// <summary><c>Database:*</c>: SQLite settings.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>
    /// SQLite journal mode. WAL on local disk (fast, readers never block the writer); DELETE or TRUNCATE on network
    /// file systems such as Azure Files, where WAL's shared memory does not work.
    /// </summary>
    [System.ComponentModel.DataAnnotations.RegularExpression("^(WAL|DELETE|TRUNCATE|PERSIST)$", ErrorMessage = "Database:JournalMode must be WAL, DELETE, TRUNCATE or PERSIST.")]
    public string JournalMode { get; set; } = "WAL";
}
