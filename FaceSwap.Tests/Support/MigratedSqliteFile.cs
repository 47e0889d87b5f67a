using FaceSwap.BotApi.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FaceSwap.Tests.Support;

/// <summary>
/// A temp SQLite file migrated to the bot API's schema, in WAL mode as the bot API runs it; dispose to release the
/// pooled connections and delete the file with its -wal and -shm.
/// </summary>
public sealed class MigratedSqliteFile : IAsyncDisposable
{
    private MigratedSqliteFile(string path) => Path = path;

    public string Path { get; }

    public string ConnectionString => $"Data Source={Path}";

    public static async Task<MigratedSqliteFile> CreateAsync(string name)
    {
        var file = new MigratedSqliteFile(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"faceswap-{name}-{Guid.NewGuid():N}.db"));
        await using var services = new ServiceCollection().AddDbContext<FaceSwapDbContext>(o => o.UseSqlite(file.ConnectionString)).BuildServiceProvider();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FaceSwapDbContext>();
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        return file;
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" })
        {
            File.Delete(file);
        }

        return ValueTask.CompletedTask;
    }
}
