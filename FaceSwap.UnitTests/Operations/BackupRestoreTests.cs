using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Operations.Backups;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace FaceSwap.Tests.Operations;

public sealed class BackupRestoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "faceswap-backup-" + Guid.NewGuid().ToString("N")[..8]);

    public BackupRestoreTests() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Back_up_damage_restore_finds_every_row()
    {
        var databasePath = Path.Combine(_directory, "faceswap.db");
        var connectionString = $"Data Source={databasePath}";
        var options = new DbContextOptionsBuilder<FaceSwapDbContext>().UseSqlite(connectionString).Options;
        long[] ids;
        await using (var db = new FaceSwapDbContext(options))
        {
            await db.Database.MigrateAsync();
            // The production journal mode: the snapshot must include what is still in the WAL.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            ids = Enumerable.Range(1, 500).Select(i => 1_000_000L + i).ToArray();
            db.Users.AddRange(ids.Select(id => new BotUser { Id = id, ChatId = id, FirstName = "user" + id }));
            await db.SaveChangesAsync();
        }

        var snapshot = await SqliteBackup.CreateAsync(connectionString, Path.Combine(_directory, "backups"), DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.Equal("ok", await SqliteBackup.VerifyAsync(snapshot, CancellationToken.None));
        Assert.Equal(snapshot, Assert.Single(SqliteBackup.List(Path.Combine(_directory, "backups"))).Path);

        // Damage: overwrite the middle of the file, as a bad disk or a torn copy would.
        SqliteConnection.ClearAllPools();
        await using (var file = new FileStream(databasePath, FileMode.Open, FileAccess.Write))
        {
            file.Seek(file.Length / 2, SeekOrigin.Begin);
            await file.WriteAsync(Enumerable.Repeat((byte)0xAB, 16 * 1024).ToArray());
        }

        Assert.NotEqual("ok", await SqliteBackup.VerifyAsync(databasePath, CancellationToken.None));

        var output = new StringWriter();
        var exitCode = await RestoreCommand.RunAsync(["restore", snapshot, "--database", databasePath], output, new StringWriter(), CancellationToken.None);
        Assert.Equal(0, exitCode);
        Assert.Contains("Restored", output.ToString());
        Assert.Single(Directory.GetFiles(_directory, "faceswap.db.before-restore-*"), f => !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal));

        await using (var db = new FaceSwapDbContext(options))
        {
            Assert.Equal(ids, await db.Users.OrderBy(u => u.Id).Select(u => u.Id).ToArrayAsync());
        }

        Assert.Equal("ok", await SqliteBackup.VerifyAsync(databasePath, CancellationToken.None));
    }

    [Fact]
    public async Task Restore_refuses_a_damaged_snapshot_and_leaves_the_database_alone()
    {
        var snapshot = Path.Combine(_directory, "faceswap-20260101-000000.db");
        await File.WriteAllBytesAsync(snapshot, Enumerable.Repeat((byte)'x', 4096).ToArray());
        var database = Path.Combine(_directory, "live.db");
        await File.WriteAllTextAsync(database, "live");
        var error = new StringWriter();

        Assert.Equal(1, await RestoreCommand.RunAsync(["restore", snapshot, "--database", database], new StringWriter(), error, CancellationToken.None));
        Assert.Contains("not a sound database", error.ToString());
        Assert.Equal("live", await File.ReadAllTextAsync(database));
    }

    [Fact]
    public void Retention_keeps_the_latest_and_one_a_day()
    {
        var now = new DateTimeOffset(2026, 3, 20, 12, 0, 0, TimeSpan.Zero);
        // Every 15 minutes for 20 days, newest first.
        var snapshots = Enumerable.Range(0, 20 * 96).Select(i => ($"s{i}", now.AddMinutes(-15 * i))).ToList();

        var deleted = SqliteBackup.SelectForDeletion(snapshots, now, keepLatest: 24, keepDailyDays: 14).ToHashSet();
        var kept = snapshots.Where(s => !deleted.Contains(s.Item1)).ToList();

        Assert.All(snapshots.Take(24), s => Assert.DoesNotContain(s.Item1, deleted));
        // Today is covered by the latest 24; 13 earlier days keep one each.
        Assert.Equal(24 + 13, kept.Count);
        Assert.True(kept.Min(s => s.Item2) >= now.UtcDateTime.Date.AddDays(-13));
        Assert.Equal(13, kept.Skip(24).Select(s => s.Item2.UtcDateTime.Date).Distinct().Count());
    }
}
