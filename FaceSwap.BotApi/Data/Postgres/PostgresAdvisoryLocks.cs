using System.Data.Common;

namespace FaceSwap.BotApi.Data.Postgres;

/// <summary>
/// The bot API's PostgreSQL advisory lock keys (one 64-bit space per database; the values only have to differ from
/// each other and from anything else sharing the database, which nothing should).
/// </summary>
public static class PostgresAdvisoryLocks
{
    /// <summary>Held (session lock) while migrations are applied, so replicas starting together apply them once.</summary>
    public const long Migrations = 0x4661636553776170; // "FaceSwap"

    /// <summary>Held (transaction lock) by every write transaction: see <see cref="PostgresWriteLock"/>.</summary>
    public const long Writes = 0x4661636553777772;

    public static async Task CallAsync(DbConnection connection, DbTransaction? transaction, string function, long key, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // The function name is one of the constants the callers pass, never input.
        command.CommandText = $"SELECT {function}({key})";
        // Waiting for the lock is the point; the command timeout must not cut a long migration or a queue of writers.
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
