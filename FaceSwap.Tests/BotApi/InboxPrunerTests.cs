using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Inbox;
using FaceSwap.Tests.Emulator;
using FaceSwap.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaceSwap.Tests.BotApi;

/// <summary>The pruner on a real, migrated SQLite file with a fake clock: what goes, what stays, and when it runs.</summary>
public sealed class InboxPrunerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 20, 12, 0, 0, TimeSpan.Zero);
    private readonly CountingTimeProvider _time = new(Now);
    private MigratedSqliteFile _database = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _database = await MigratedSqliteFile.CreateAsync("pruner");
        _services = new ServiceCollection()
            .AddDbContext<FaceSwapDbContext>(options => options.UseSqlite(_database.ConnectionString))
            .BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Old_handled_and_failed_updates_go_pending_and_recent_ones_stay()
    {
        await UseDatabaseAsync(db =>
        {
            db.InboxUpdates.AddRange(
                Update(1, InboxStatus.Handled, Now.AddDays(-8)),
                Update(2, InboxStatus.Handled, Now.AddDays(-8)),
                Update(3, InboxStatus.Handled, Now.AddDays(-9)),
                Update(4, InboxStatus.Handled, Now.AddDays(-30)),
                Update(5, InboxStatus.Handled, Now.AddDays(-7).AddMinutes(-1)),
                Update(11, InboxStatus.Failed, Now.AddDays(-8)),
                Update(12, InboxStatus.Failed, Now.AddDays(-400)),
                // Not handled yet, however old: deleting them would lose the user's message.
                Update(21, InboxStatus.Pending, Now.AddDays(-400)),
                Update(22, InboxStatus.Pending, Now.AddDays(-8)),
                // Within the retention period.
                Update(31, InboxStatus.Handled, Now.AddDays(-7).AddMinutes(1)),
                Update(32, InboxStatus.Handled, Now.AddHours(-1)),
                Update(33, InboxStatus.Failed, Now.AddDays(-6)));
            db.Outbox.AddRange(
                Outbox("old-1", created: Now.AddDays(-9), dispatched: Now.AddDays(-9)),
                Outbox("old-2", created: Now.AddDays(-30), dispatched: Now.AddDays(-8)),
                Outbox("recent", created: Now.AddDays(-8), dispatched: Now.AddDays(-1)),
                // Never dispatched (Redis was down): the job still has to reach the processors.
                Outbox("waiting", created: Now.AddDays(-30), dispatched: null));
            // What handling them sent: the records go with their updates, and only with them.
            db.SentReplies.AddRange(Sent(1, 0), Sent(1, 1), Sent(12, 0), Sent(21, 0), Sent(31, 0));
            return db.SaveChangesAsync();
        });

        // Batches of 2, so the seven expired updates take four statements, their three sent replies two.
        var result = await Pruner(o => o.BatchSize = 2).PruneOnceAsync(CancellationToken.None);

        Assert.Equal(7, result.Updates);
        Assert.Equal(3, result.SentReplies);
        Assert.Equal(2, result.OutboxMessages);
        Assert.Equal(4 + 2 + 2, result.Batches);
        Assert.Equal([21L, 31], await UseDatabaseAsync(db => db.SentReplies.OrderBy(r => r.UpdateId).Select(r => r.UpdateId).ToListAsync()));
        Assert.Equal([21L, 22, 31, 32, 33], await UseDatabaseAsync(db => db.InboxUpdates.OrderBy(u => u.UpdateId).Select(u => u.UpdateId).ToListAsync()));
        Assert.Equal(["recent", "waiting"], await UseDatabaseAsync(db => db.Outbox.OrderBy(o => o.JobId).Select(o => o.JobId).ToListAsync()));

        // A second pass finds nothing more.
        var again = await Pruner().PruneOnceAsync(CancellationToken.None);
        Assert.Equal((0L, 0L, 0L), (again.Updates, again.SentReplies, again.OutboxMessages));
    }

    [Fact]
    public async Task The_first_pass_runs_shortly_after_start_and_then_every_interval()
    {
        await AddAsync(Update(1, InboxStatus.Handled, Now.AddDays(-8)));
        var pruner = Pruner(o => (o.FirstPassDelay, o.Interval) = (TimeSpan.FromMinutes(1), TimeSpan.FromHours(1)));
        await pruner.StartAsync(CancellationToken.None);
        try
        {
            // ExecuteAsync runs on the thread pool: advance the clock only once the pruner waits on it.
            await WaitForTimersAsync(1);
            _time.Advance(TimeSpan.FromSeconds(59));
            // The pruner still waits on its timer, due at FirstPassDelay: seen on the clock, not slept on.
            Assert.Contains(Now + TimeSpan.FromMinutes(1), _time.WaitingUntil);
            Assert.True(await ExistsAsync(1), "no pass before FirstPassDelay");

            _time.Advance(TimeSpan.FromSeconds(1));
            await EmulatorHost.WaitUntilAsync(async () => !await ExistsAsync(1), TimeSpan.FromSeconds(10), "the first pass");
            await WaitForTimersAsync(2);

            await AddAsync(Update(2, InboxStatus.Handled, Now.AddDays(-8)));
            _time.Advance(TimeSpan.FromMinutes(59));
            Assert.Contains(Now + TimeSpan.FromMinutes(61), _time.WaitingUntil);
            Assert.True(await ExistsAsync(2), "no second pass before Interval");

            _time.Advance(TimeSpan.FromMinutes(1));
            await EmulatorHost.WaitUntilAsync(async () => !await ExistsAsync(2), TimeSpan.FromSeconds(10), "the second pass");
        }
        finally
        {
            await pruner.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public void The_bot_api_refuses_to_start_with_a_retention_under_a_day_and_names_the_key()
    {
        using var factory = UnstartedBotApi.With(("Inbox:Retention:RetainFor", "02:00:00"), ("Inbox:Retention:BatchSize", "0"));

        var error = Assert.Throws<OptionsValidationException>(() => factory.Server);

        Assert.Contains("Inbox:Retention:RetainFor must be at least 1.00:00:00", error.Message, StringComparison.Ordinal);
        Assert.Contains("Inbox:Retention:BatchSize must be between 1 and 100000", error.Message, StringComparison.Ordinal);
    }

    private InboxPruner Pruner(Action<InboxRetentionOptions>? change = null)
    {
        // No pause between batches: a pause on the fake clock would wait for a test that is not advancing it.
        var options = new InboxRetentionOptions { BatchPause = TimeSpan.Zero };
        change?.Invoke(options);
        return new InboxPruner(_services.GetRequiredService<IServiceScopeFactory>(), Options.Create(options), SingleReplica.Leases(_time), _time, TestMetrics.Create(), NullLogger<InboxPruner>.Instance);
    }

    private static InboxUpdate Update(long id, InboxStatus status, DateTimeOffset receivedAt) => new()
    {
        UpdateId = id,
        ChatId = 1000 + id,
        Payload = $$"""{"update_id":{{id}}}""",
        ReceivedAt = receivedAt,
        Status = status,
        Attempts = status == InboxStatus.Pending ? 0 : status == InboxStatus.Failed ? 5 : 1,
        NextAttemptAt = receivedAt,
        // As the inbox worker leaves them: a failed update has no HandledAt.
        HandledAt = status == InboxStatus.Handled ? receivedAt.AddSeconds(1) : null,
    };

    private static SentReply Sent(long updateId, int sequence) => new()
    {
        UpdateId = updateId,
        ChatId = 1000 + updateId,
        Sequence = sequence,
        MessageId = 500 + sequence,
        SentAt = Now.AddDays(-8),
    };

    private static OutboxMessage Outbox(string jobId, DateTimeOffset created, DateTimeOffset? dispatched) => new()
    {
        Stream = "faceswap:jobs",
        Payload = "{}",
        JobId = jobId,
        CreatedAt = created,
        DispatchedAt = dispatched,
    };

    private Task AddAsync(InboxUpdate update) => UseDatabaseAsync(db =>
    {
        db.InboxUpdates.Add(update);
        return db.SaveChangesAsync();
    });

    private Task WaitForTimersAsync(int count) =>
        EmulatorHost.WaitUntilAsync(() => Task.FromResult(_time.TimersCreated >= count), TimeSpan.FromSeconds(10), $"the pruner's wait number {count}");

    private Task<bool> ExistsAsync(long updateId) => UseDatabaseAsync(db => db.InboxUpdates.AnyAsync(u => u.UpdateId == updateId));

    private async Task UseDatabaseAsync(Func<FaceSwapDbContext, Task> use) => await UseDatabaseAsync(async db =>
    {
        await use(db);
        return true;
    });

    private async Task<T> UseDatabaseAsync<T>(Func<FaceSwapDbContext, Task<T>> use)
    {
        await using var scope = _services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<FaceSwapDbContext>());
    }
}
