using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace FaceSwap.BotApi.Data.Copy;

/// <summary>
/// <c>FaceSwap.BotApi copy-database --from "Data Source=/data/faceswap.db" --to "Host=...;Database=...;Username=..."</c>:
/// moves a SQLite deployment's state into an empty PostgreSQL database and exits, without starting the web host.
/// Stop intake and take a final backup first (docs/operations/scaling.md). Exit code 0 on a verified copy, 1 when the
/// copy was refused or failed (nothing is left in the target), 2 on bad usage.
/// </summary>
public static class CopyDatabaseCommand
{
    public const string Name = "copy-database";

    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] == Name;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var from = Option("--from");
        var to = Option("--to");
        if (string.IsNullOrWhiteSpace(from) || string.IsNullOrWhiteSpace(to))
        {
            await error.WriteLineAsync("""usage: copy-database --from "Data Source=<faceswap.db>" --to "Host=<host>;Database=<db>;Username=<user>;Password=<password>" """);
            return 2;
        }

        var stopwatch = Stopwatch.StartNew();
        try
        {
            var tables = await DatabaseCopy.RunAsync(from, to, cancellationToken);
            var target = new NpgsqlConnectionStringBuilder(to);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Copied {tables.Count} tables ({tables.Sum(t => t.Rows)} rows) from {new SqliteConnectionStringBuilder(from).DataSource} to {target.Database} on {target.Host} in {stopwatch.Elapsed.TotalSeconds:0.0} s; row counts and checksums match."));
            return 0;
        }
        catch (Exception ex) when (ex is DatabaseCopyException or DbException or InvalidOperationException or ArgumentException)
        {
            // One line naming the cause; the transaction was rolled back, so the target is as it was (migrated at most).
            await error.WriteLineAsync($"copy-database failed: {ex.Message}");
            return 1;
        }
    }
}
