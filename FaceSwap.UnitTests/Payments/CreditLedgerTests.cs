using FaceSwap.BotApi.Credits;
using FaceSwap.BotApi.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace FaceSwap.Tests.Payments;

/// <summary>The ledger on a real SQLite file, each operation in its own DbContext (connection), as requests are.</summary>
public sealed class CreditLedgerTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"faceswap-ledger-{Guid.NewGuid():N}.db");

    public async Task InitializeAsync()
    {
        await using var db = NewContext();
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task Concurrent_spends_never_take_the_balance_below_zero()
    {
        const long userId = 1;
        await UseLedgerAsync(ledger => ledger.CreditAsync(userId, 10, CreditEntryKind.Purchase, "stars:test", CancellationToken.None));

        // 40 spends of 1 and 10 of 3 race for 10 credits, each on its own connection and thread.
        var spends = Enumerable.Range(0, 50).Select(i => Task.Run(() =>
            UseLedgerAsync(ledger => ledger.TrySpendAsync(userId, i < 40 ? 1 : 3, $"job:{i}:spend", CancellationToken.None))));
        var results = await Task.WhenAll(spends);

        await using var db = NewContext();
        var entries = await db.CreditLedger.Where(e => e.UserId == userId).OrderBy(e => e.Id).Select(e => e.Amount).ToListAsync();
        Assert.Equal(0, entries.Sum());
        Assert.Equal(results.Count(ok => ok), entries.Count(a => a < 0));
        // Every prefix of the ledger (the balance after each booking) is non-negative.
        var running = 0;
        Assert.All(entries, amount => Assert.True((running += amount) >= 0, $"balance went to {running}"));
    }

    [Fact]
    public async Task The_same_reference_is_booked_once()
    {
        const long userId = 2;
        var first = await UseLedgerAsync(ledger => ledger.CreditAsync(userId, 5, CreditEntryKind.Grant, "grant:x", CancellationToken.None));
        var second = await UseLedgerAsync(ledger => ledger.CreditAsync(userId, 5, CreditEntryKind.Grant, "grant:x", CancellationToken.None));
        var spent = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            UseLedgerAsync(ledger => ledger.TrySpendAsync(userId, 2, "job:same:spend", CancellationToken.None)))));

        Assert.True(first);
        Assert.False(second);
        Assert.All(spent, Assert.True);
        Assert.Equal(3, await UseLedgerAsync(ledger => ledger.BalanceAsync(userId, CancellationToken.None)));
    }

    [Fact]
    public async Task Taking_back_takes_at_most_the_balance_once_per_reference_even_racing_spends()
    {
        const long userId = 3;
        await UseLedgerAsync(ledger => ledger.CreditAsync(userId, 10, CreditEntryKind.Purchase, "stars:c1", CancellationToken.None));

        var spends = Enumerable.Range(0, 6).Select(i => Task.Run(() =>
            UseLedgerAsync(async ledger => await ledger.TrySpendAsync(userId, 2, $"job:t{i}:spend", CancellationToken.None) ? 2 : 0)));
        var takeBacks = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            UseLedgerAsync(ledger => ledger.TakeBackAsync(userId, 10, CreditEntryKind.Refund, "stars:c1:refund", CancellationToken.None))));
        var spent = (await Task.WhenAll(spends)).Sum();
        var taken = await Task.WhenAll(takeBacks);

        Assert.Single(taken.Distinct()); // every caller learns what the one booking took
        Assert.Equal(10, spent + taken[0]);
        Assert.Equal(0, await UseLedgerAsync(ledger => ledger.BalanceAsync(userId, CancellationToken.None)));
    }

    private FaceSwapDbContext NewContext() =>
        new(new DbContextOptionsBuilder<FaceSwapDbContext>().UseSqlite($"Data Source={_path}").Options);

    private async Task<T> UseLedgerAsync<T>(Func<CreditLedger, Task<T>> use)
    {
        await using var db = NewContext();
        return await use(new CreditLedger(db, TimeProvider.System));
    }
}
