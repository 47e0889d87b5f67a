using System.Data.Common;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using FaceSwap.BotApi.Data.Postgres;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace FaceSwap.BotApi.Data.Copy;

/// <summary>
/// Copies every table of the model from a SQLite database into an empty PostgreSQL one: migrates the target, streams
/// each table in key order through <c>COPY ... FROM STDIN (FORMAT BINARY)</c> inside one transaction, moves the identity
/// sequences past the copied ids, and reads every table back to compare row counts and a checksum before committing.
/// The tables come from the EF Core model, so a table added by a later migration is copied without a change here.
/// </summary>
public static class DatabaseCopy
{
    public static async Task<IReadOnlyList<CopiedTable>> RunAsync(string sqliteConnectionString, string postgresConnectionString,
        CancellationToken cancellationToken)
    {
        var sqlitePath = new SqliteConnectionStringBuilder(sqliteConnectionString).DataSource;
        // Opening a missing file would create an empty database and "copy" nothing.
        if (string.IsNullOrEmpty(sqlitePath) || !File.Exists(sqlitePath))
        {
            throw new DatabaseCopyException($"The SQLite database {sqlitePath} does not exist.");
        }

        await using var source = new FaceSwapDbContext(new DbContextOptionsBuilder<FaceSwapDbContext>().UseSqlite(sqliteConnectionString).Options);
        await using var target = new PostgresFaceSwapDbContext(new DbContextOptionsBuilder<PostgresFaceSwapDbContext>().UseNpgsql(postgresConnectionString).Options);

        var pending = (await source.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            throw new DatabaseCopyException($"The SQLite database lacks {pending.Count} migrations ({pending[0]} first): start this version of the bot API on it once, stop it, then copy.");
        }

        await target.Database.OpenConnectionAsync(cancellationToken);
        var connection = (NpgsqlConnection)target.Database.GetDbConnection();
        await RefuseNonEmptyAsync(connection, cancellationToken);
        await target.Database.MigrateAsync(cancellationToken);

        await source.Database.OpenConnectionAsync(cancellationToken);
        var sqlite = source.Database.GetDbConnection();
        // A read transaction on the source: every table is read from the same snapshot.
        await using var read = await sqlite.BeginTransactionAsync(cancellationToken);
        await using var write = await connection.BeginTransactionAsync(cancellationToken);

        var copied = new List<CopiedTable>();
        foreach (var table in TablesOf(target.Model))
        {
            var (rows, checksum) = await CopyTableAsync(table, read, connection, cancellationToken);
            var (readBackRows, readBackChecksum) = await ChecksumAsync(table, connection, cancellationToken);
            if (readBackRows != rows || readBackChecksum != checksum)
            {
                throw new DatabaseCopyException($"Table {table.Name}: {rows} rows read ({checksum}), {readBackRows} rows in PostgreSQL ({readBackChecksum}); nothing was committed.");
            }

            copied.Add(new CopiedTable(table.Name, rows, checksum));
        }

        await ResetIdentitySequencesAsync(connection, cancellationToken);
        await write.CommitAsync(cancellationToken);
        return copied;
    }

    /// <summary>A target that already holds rows is someone's data (or an earlier copy): never copy on top of it.</summary>
    private static async Task RefuseNonEmptyAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '__EFMigrationsHistory' ORDER BY table_name",
            connection))
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            await using var any = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {Quote(table)})", connection);
            if (await any.ExecuteScalarAsync(cancellationToken) is true)
            {
                throw new DatabaseCopyException($"The PostgreSQL database {connection.Database} is not empty (table {table} has rows): copy into a new, empty database.");
            }
        }
    }

    private static async Task<(long Rows, string Checksum)> CopyTableAsync(CopyTable table, DbTransaction sqlite, NpgsqlConnection postgres,
        CancellationToken cancellationToken)
    {
        var hash = new XxHash128();
        long rows = 0;
        // Microsoft.Data.Sqlite wants the open transaction on every command of its connection.
        await using var select = sqlite.Connection!.CreateCommand();
        select.Transaction = sqlite;
        select.CommandText = table.SelectSql(postgres: false);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        await using var importer = await postgres.BeginBinaryImportAsync(
            $"COPY {Quote(table.Name)} ({string.Join(", ", table.Columns.Select(c => Quote(c.Name)))}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        var values = new object?[table.Columns.Count];
        while (await reader.ReadAsync(cancellationToken))
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = table.Columns[i].ToProvider(reader.GetValue(i));
            }

            Append(hash, values);
            await importer.StartRowAsync(cancellationToken);
            foreach (var value in values)
            {
                if (value is null)
                {
                    await importer.WriteNullAsync(cancellationToken);
                }
                else
                {
                    // The value is already of the column's provider type (long for bigint, int for integer, string for text).
                    await importer.WriteAsync(value, cancellationToken);
                }
            }

            rows++;
        }

        await importer.CompleteAsync(cancellationToken);
        return (rows, Convert.ToHexString(hash.GetCurrentHash()));
    }

    private static async Task<(long Rows, string Checksum)> ChecksumAsync(CopyTable table, NpgsqlConnection postgres, CancellationToken cancellationToken)
    {
        var hash = new XxHash128();
        long rows = 0;
        await using var select = new NpgsqlCommand(table.SelectSql(postgres: true), postgres);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var values = new object?[table.Columns.Count];
        while (await reader.ReadAsync(cancellationToken))
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = table.Columns[i].ToProvider(reader.GetValue(i));
            }

            Append(hash, values);
            rows++;
        }

        return (rows, Convert.ToHexString(hash.GetCurrentHash()));
    }

    /// <summary>Each value with a type tag and (for text and bytes) its length, so that no two rows hash alike by concatenation.</summary>
    private static void Append(XxHash128 hash, object?[] values)
    {
        Span<byte> number = stackalloc byte[9];
        foreach (var value in values)
        {
            switch (value)
            {
                case null:
                    hash.Append([0]);
                    break;
                case string text:
                    var bytes = Encoding.UTF8.GetBytes(text);
                    number[0] = 1;
                    BitConverter.TryWriteBytes(number[1..], (long)bytes.Length);
                    hash.Append(number);
                    hash.Append(bytes);
                    break;
                case byte[] blob:
                    number[0] = 2;
                    BitConverter.TryWriteBytes(number[1..], (long)blob.Length);
                    hash.Append(number);
                    hash.Append(blob);
                    break;
                default:
                    number[0] = 3;
                    hash.Append(number[..1]);
                    hash.Append(Encoding.UTF8.GetBytes(Convert.ToString(value, CultureInfo.InvariantCulture)!));
                    hash.Append([0]);
                    break;
            }
        }
    }

    /// <summary>
    /// COPY gave the identity columns explicit values without moving their sequences: the next insert would take id 1
    /// again. Each sequence is set past its column's largest value (or back to 1 for an empty table).
    /// </summary>
    private static async Task ResetIdentitySequencesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var identities = new List<(string Table, string Column)>();
        await using (var list = new NpgsqlCommand(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'", connection))
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                identities.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (table, column) in identities)
        {
            await using var reset = new NpgsqlCommand(
                $"SELECT setval(pg_get_serial_sequence(@table, @column), COALESCE(MAX({Quote(column)}), 1), MAX({Quote(column)}) IS NOT NULL) FROM {Quote(table)}",
                connection);
            reset.Parameters.AddWithValue("table", Quote(table));
            reset.Parameters.AddWithValue("column", column);
            await reset.ExecuteScalarAsync(cancellationToken);
        }
    }

    /// <summary>The model's tables, a table after those its foreign keys point to (rows are checked at each insert).</summary>
    private static List<CopyTable> TablesOf(IModel model)
    {
        var entities = model.GetEntityTypes().Where(e => e.GetTableName() is not null && e.FindPrimaryKey() is not null)
            .OrderBy(e => e.GetTableName(), StringComparer.Ordinal).ToList();
        var ordered = new List<IEntityType>();
        while (entities.Count > 0)
        {
            var next = entities.FirstOrDefault(e => e.GetForeignKeys().All(fk => fk.PrincipalEntityType == e || ordered.Contains(fk.PrincipalEntityType)))
                ?? throw new DatabaseCopyException($"The foreign keys between {string.Join(", ", entities.Select(e => e.GetTableName()))} form a cycle.");
            ordered.Add(next);
            entities.Remove(next);
        }

        return ordered.Select(CopyTable.Of).ToList();
    }

    internal static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
