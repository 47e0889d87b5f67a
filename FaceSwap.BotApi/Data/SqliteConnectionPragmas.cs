using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FaceSwap.BotApi.Data;

/// <summary>
/// Settings every connection gets:
/// <list type="bullet">
/// <item><c>busy_timeout</c> lets SQLite itself wait for the write lock. Without it, a writer that finds the lock taken
/// gets SQLITE_BUSY at once and Microsoft.Data.Sqlite retries after sleeping 150 ms, so every collision between the
/// intake writer, the inbox worker and the job writers cost 150 ms or more. SQLite's own busy handler retries after
/// 1, 2, 5, 10... ms, and the lock is usually free again within a millisecond or two. It waits up to 5 s before the
/// managed retry (up to the command timeout) takes over.</item>
/// <item><c>secure_delete</c> overwrites deleted rows with zeros, so what /deletedata and the retention pruner delete
/// is gone from the file, not left readable in free pages.</item>
/// </list>
/// </summary>
public sealed class SqliteConnectionPragmas : DbConnectionInterceptor
{
    private const string Pragma = "PRAGMA busy_timeout = 5000; PRAGMA secure_delete = ON;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
        Apply((SqliteConnection)connection);

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default) =>
        await ApplyAsync((SqliteConnection)connection, cancellationToken);

    /// <summary>For connections opened outside EF Core.</summary>
    public static async Task ApplyAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Apply(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }
}
