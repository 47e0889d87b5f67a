namespace FaceSwap.BotApi.Operations.Backups;

/// <summary>
/// <c>FaceSwap.BotApi restore &lt;snapshot&gt; [--database &lt;path&gt;]</c>: replaces the database with a snapshot and
/// exits, without starting the web host. Stop the service first. The database path defaults to
/// <c>ConnectionStrings__faceswapdb</c>'s Data Source. <c>FaceSwap.BotApi backups [--directory &lt;dir&gt;]</c> lists snapshots.
/// </summary>
public static class RestoreCommand
{
    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] is "restore" or "backups";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        if (Environment.GetEnvironmentVariable("Database__Provider") == Data.DatabaseOptions.Postgres)
        {
            await error.WriteLineAsync("Database__Provider is postgres: the server keeps the backups; restore with its point-in-time restore (docs/operations/backup-restore.md).");
            return 2;
        }

        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__faceswapdb");
        var database = Option("--database") ?? (connectionString is null ? null : SqliteBackup.DatabasePathOf(connectionString));

        if (args[0] == "backups")
        {
            var directory = Option("--directory") ?? Environment.GetEnvironmentVariable("Backups__Directory")
                ?? (connectionString is null ? null : SqliteBackup.DefaultDirectory(connectionString));
            if (directory is null)
            {
                await error.WriteLineAsync("usage: backups --directory <dir> (or set Backups__Directory)");
                return 2;
            }

            foreach (var (path, takenAt) in SqliteBackup.List(directory))
            {
                await output.WriteLineAsync($"{takenAt:u}  {path}");
            }

            return 0;
        }

        if (args.Length < 2 || args[1].StartsWith("--", StringComparison.Ordinal) || database is null)
        {
            await error.WriteLineAsync("usage: restore <snapshot.db> [--database <path>]  (default: ConnectionStrings__faceswapdb's Data Source)");
            return 2;
        }

        try
        {
            var kept = await SqliteBackup.RestoreAsync(args[1], database, DateTimeOffset.UtcNow, cancellationToken);
            await output.WriteLineAsync($"Restored {args[1]} to {database}." + (kept is null ? "" : $" The previous database is kept as {kept}."));
            return 0;
        }
        catch (InvalidDataException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return 1;
        }
    }
}
