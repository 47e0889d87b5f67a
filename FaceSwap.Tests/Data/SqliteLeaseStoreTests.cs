using FaceSwap.BotApi.Data.Leases;
using FaceSwap.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FaceSwap.Tests.Data;

/// <summary>
/// The leases on SQLite: the tables and their upserts exist there too (the Leases migration of both providers), and by
/// default a SQLite bot API, the only replica there can be, holds every lease without asking the database.
/// </summary>
public sealed class SqliteLeaseStoreTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private BotApiHost _host = null!;

    public async Task InitializeAsync() => _host = await BotApiHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private LeaseStore Replica(string owner, bool? leases) =>
        new(_host.Services.GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new ReplicaOptions { Id = owner, LeaseTime = TimeSpan.FromSeconds(30), Leases = leases }),
            _host.Services.GetRequiredService<IConfiguration>(), _clock);

    [Fact]
    public async Task With_leases_on_the_sqlite_tables_give_a_chat_and_a_job_to_one_replica_until_expiry()
    {
        var a = Replica("a", leases: true);
        var b = Replica("b", leases: true);

        Assert.True(await a.TryHoldChatAsync(42, default));
        Assert.False(await b.TryHoldChatAsync(42, default));
        Assert.True(await a.TryLeadAsync("test-job", TimeSpan.FromMinutes(1), default));
        Assert.False(await b.TryLeadAsync("test-job", TimeSpan.FromMinutes(1), default));

        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.True(await b.TryHoldChatAsync(42, default));
        Assert.True(await b.TryLeadAsync("test-job", TimeSpan.FromMinutes(1), default));
    }

    [Fact]
    public async Task By_default_a_sqlite_replica_holds_every_lease_even_one_a_previous_process_left()
    {
        // The previous process (another id) held the chat and the job when it was killed.
        Assert.True(await Replica("killed", leases: true).TryHoldChatAsync(43, default));
        Assert.True(await Replica("killed", leases: true).TryLeadAsync("test-job", TimeSpan.FromMinutes(1), default));

        var restarted = Replica("restarted", leases: null);
        Assert.False(restarted.On);
        Assert.True(await restarted.TryHoldChatAsync(43, default));
        Assert.True(await restarted.TryLeadAsync("test-job", TimeSpan.FromMinutes(1), default));
    }
}
