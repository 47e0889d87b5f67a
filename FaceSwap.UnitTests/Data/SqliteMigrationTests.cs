using FaceSwap.BotApi.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace FaceSwap.Tests.Data;

/// <summary>
/// The SQLite migrations, merged from branches that each added one (and some written by hand), build the model the
/// code has: a snapshot or migration that misses a column fails here, not on an operator's first start.
/// </summary>
public sealed class SqliteMigrationTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"faceswap-migrations-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task Every_migration_applies_to_a_new_file_and_the_model_has_no_change_without_one()
    {
        await using var db = new FaceSwapDbContext(new DbContextOptionsBuilder<FaceSwapDbContext>().UseSqlite($"Data Source={_path}").Options);

        await db.Database.MigrateAsync();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges(), "the model differs from the last migration's snapshot: add a migration");
        // The tables the later migrations added are there and usable.
        Assert.Equal(0, await db.Jobs.CountAsync(job => job.Origin == JobOrigin.Web));
        Assert.Equal(0, await db.ChatLeases.CountAsync() + await db.LeaderLeases.CountAsync());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }
}
