using System.Globalization;
using FaceSwap.BotApi.Operations.Health;
using Microsoft.Data.Sqlite;

namespace FaceSwap.BotApi.Operations.Backups;

/// <summary>Snapshots of the SQLite database: taken with <c>VACUUM INTO</c>, verified, pruned, restored.</summary>
public static class SqliteBackup
{
    public const string Prefix = "faceswap-";
    public const string Extension = ".db";
    private const string StampFormat = "yyyyMMdd-HHmmss";

    /// <summary>
    /// Writes a consistent snapshot (<c>VACUUM INTO</c> reads one transaction's view while the writer carries on),
    /// verifies it, and only then gives it its final name; an unverified file never looks like a backup.
    /// </summary>
    public static async Task<string> CreateAsync(string connectionString, string directory, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var final = Path.Combine(directory, Prefix + now.UtcDateTime.ToString(StampFormat, CultureInfo.InvariantCulture) + Extension);
        var temporary = final + ".partial";
        File.Delete(temporary);
        try
        {
            await using (var connection = new SqliteConnection(connectionString))
            {
                await connection.OpenAsync(cancellationToken);
                await using var command = connection.CreateCommand();
                command.CommandText = "VACUUM INTO $path";
                command.Parameters.AddWithValue("$path", temporary);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            var integrity = await VerifyAsync(temporary, cancellationToken);
            if (integrity != "ok")
            {
                throw new InvalidDataException($"Snapshot failed its integrity check: {integrity}");
            }

            File.Move(temporary, final, overwrite: true);
            return final;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Opens the file read-only and runs <c>PRAGMA integrity_check</c>; "ok" when sound.</summary>
    public static async Task<string> VerifyAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return "file not found";
        }

        try
        {
            var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
            await using var connection = new SqliteConnection(builder.ToString());
            await connection.OpenAsync(cancellationToken);
            return await SqliteIntegrity.CheckAsync(connection, cancellationToken);
        }
        catch (SqliteException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>Snapshots in a directory, newest first, with the time in their name.</summary>
    public static IReadOnlyList<(string Path, DateTimeOffset TakenAt)> List(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return Directory.EnumerateFiles(directory, Prefix + "*" + Extension)
            .Select(path => (Path: path, Stamp: Path.GetFileNameWithoutExtension(path)[Prefix.Length..]))
            .Where(file => DateTime.TryParseExact(file.Stamp, StampFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out _))
            .Select(file => (file.Path, new DateTimeOffset(DateTime.ParseExact(file.Stamp, StampFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero)))
            .OrderByDescending(file => file.Item2)
            .ToList();
    }

    /// <summary>Which snapshots retention keeps: the newest <paramref name="keepLatest"/>, plus the newest of each of the last <paramref name="keepDailyDays"/> days.</summary>
    public static IReadOnlyList<string> SelectForDeletion(IReadOnlyList<(string Path, DateTimeOffset TakenAt)> newestFirst, DateTimeOffset now,
        int keepLatest, int keepDailyDays)
    {
        var keep = new HashSet<string>(newestFirst.Take(keepLatest).Select(s => s.Path));
        var oldestDay = now.UtcDateTime.Date.AddDays(-(keepDailyDays - 1));
        foreach (var day in newestFirst.Where(s => s.TakenAt.UtcDateTime.Date >= oldestDay).GroupBy(s => s.TakenAt.UtcDateTime.Date))
        {
            keep.Add(day.First().Path);
        }

        return newestFirst.Where(s => !keep.Contains(s.Path)).Select(s => s.Path).ToList();
    }

    /// <summary>
    /// Replaces the database with a verified snapshot. Run with the service stopped: the old file (and its WAL) is kept
    /// beside it as <c>.before-restore-*</c>, so a wrong choice can be undone.
    /// </summary>
    public static async Task<string?> RestoreAsync(string snapshot, string databasePath, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var integrity = await VerifyAsync(snapshot, cancellationToken);
        if (integrity != "ok")
        {
            throw new InvalidDataException($"{snapshot} is not a sound database ({integrity}); choose another snapshot.");
        }

        SqliteConnection.ClearAllPools();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        string? kept = null;
        if (File.Exists(databasePath))
        {
            kept = databasePath + ".before-restore-" + now.UtcDateTime.ToString(StampFormat, CultureInfo.InvariantCulture);
            File.Move(databasePath, kept, overwrite: true);
        }

        foreach (var suffix in new[] { "-wal", "-shm", "-journal" })
        {
            // A WAL left from the old database would be replayed onto the restored one.
            if (File.Exists(databasePath + suffix))
            {
                File.Move(databasePath + suffix, (kept ?? databasePath + ".before-restore") + suffix, overwrite: true);
            }
        }

        var temporary = databasePath + ".restoring";
        File.Copy(snapshot, temporary, overwrite: true);
        File.Move(temporary, databasePath, overwrite: true);
        return kept;
    }

    public static string DatabasePathOf(string connectionString) => new SqliteConnectionStringBuilder(connectionString).DataSource;

    public static string DefaultDirectory(string connectionString) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(DatabasePathOf(connectionString))) ?? ".", "backups");
}
