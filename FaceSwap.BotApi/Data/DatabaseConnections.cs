using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace FaceSwap.BotApi.Data;

/// <summary>
/// Opens a connection outside EF Core (the inbox's group-commit writer) on the configured provider, with the settings
/// EF Core's own connections get.
/// </summary>
public static class DatabaseConnections
{
    public static async Task<DbConnection> OpenAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var connectionString = configuration.GetConnectionString("faceswapdb");
        if (DatabaseOptions.PostgresSelected(configuration))
        {
            var postgres = new NpgsqlConnection(connectionString);
            await postgres.OpenAsync(cancellationToken);
            return postgres;
        }

        var sqlite = new SqliteConnection(connectionString);
        await sqlite.OpenAsync(cancellationToken);
        await SqliteConnectionPragmas.ApplyAsync(sqlite, cancellationToken);
        return sqlite;
    }
}
