using System.ComponentModel.DataAnnotations;

namespace FaceSwap.BotApi.Data;

/// <summary><c>Database:*</c>: which database the bot API keeps its state in, and SQLite's settings.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary>
    /// <c>sqlite</c> (default: the embedded file store for local runs and small deployments) or <c>postgres</c>
    /// (Npgsql; a server the bot API shares with nothing else, e.g. Azure Database for PostgreSQL Flexible Server).
    /// </summary>
    [RegularExpression("^(sqlite|postgres)$", ErrorMessage = "Database:Provider must be sqlite or postgres.")]
    public string Provider { get; set; } = Sqlite;

    /// <summary>
    /// SQLite journal mode. WAL on local disk (fast, readers never block the writer); DELETE or TRUNCATE on network
    /// file systems such as Azure Files, where WAL's shared memory does not work. Not used on PostgreSQL.
    /// </summary>
    [RegularExpression("^(WAL|DELETE|TRUNCATE|PERSIST)$", ErrorMessage = "Database:JournalMode must be WAL, DELETE, TRUNCATE or PERSIST.")]
    public string JournalMode { get; set; } = "WAL";

    public bool IsPostgres => Provider == Postgres;

    /// <summary>
    /// The provider as configured, for the registrations that differ by provider (made before options are validated;
    /// a value other than the two is refused at start by the validation above).
    /// </summary>
    public static bool PostgresSelected(IConfiguration configuration) => configuration[$"{SectionName}:{nameof(Provider)}"] == Postgres;
}
