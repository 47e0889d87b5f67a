using System.Globalization;
using Npgsql;

namespace FaceSwap.Benchmarks.Load;

/// <summary>
/// Where a <see cref="LocalStack"/>'s bot API keeps its rows: a SQLite file of its own (one replica), or a new database
/// on a PostgreSQL server the caller runs (bench/e2e.sh starts Debian's, fsync on), with one or more replicas.
/// </summary>
/// <param name="Postgres">The server's superuser connection string (its "postgres" database), or null for SQLite.</param>
public sealed record StackDatabase(string? Postgres, int Replicas)
{
    public static readonly StackDatabase Sqlite = new(null, 1);

    public static StackDatabase For(string? postgres, int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        return postgres is null && replicas > 1
            ? throw new ArgumentException("Several bot API replicas need PostgreSQL: a SQLite file belongs to one process.", nameof(replicas))
            : new StackDatabase(postgres, replicas);
    }

    public string Name => Postgres is null ? "SQLite" : string.Create(CultureInfo.InvariantCulture, $"PostgreSQL, {Replicas} replica{(Replicas == 1 ? "" : "s")}");

    /// <summary>A new, empty database on the server (each stack migrates its own); its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "faceswap_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(Postgres))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(Postgres) { Database = name }.ConnectionString;
    }
}
