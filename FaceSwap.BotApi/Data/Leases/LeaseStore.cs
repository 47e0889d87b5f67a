using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Data.Leases;

/// <summary>
/// Leases in the database: a chat's updates (<c>chat_leases</c>) and a scheduled job (<c>leader_leases</c>) belong to
/// one replica until the lease expires. Claimed and renewed by one conditional upsert (INSERT ... ON CONFLICT DO UPDATE
/// ... WHERE the row is ours or expired): the same SQL on SQLite and PostgreSQL, atomic on both (PostgreSQL re-checks the
/// WHERE on the row's newest version), expiring on the <see cref="TimeProvider"/> so takeover is testable on a fake
/// clock, and visible to an operator (<c>SELECT * FROM chat_leases</c>). Advisory locks were the other choice: they
/// need a connection held open per chat in hand and do not exist on SQLite; <c>FOR UPDATE SKIP LOCKED</c> holds a
/// transaction open for a whole turn of Telegram calls. A replica's clock is trusted to within a small part of
/// <see cref="ReplicaOptions.LeaseTime"/>. A replica that stops gracefully gives its leader leases back (it is a hosted
/// service registered before the jobs, so it stops after them); a killed one's run out.
/// </summary>
public sealed class LeaseStore(IServiceScopeFactory scopeFactory, IOptions<ReplicaOptions> options, IConfiguration configuration, TimeProvider time)
    : IHostedService
{
    // Leader leases known held, and until when: a job asking every loop renews once a third of the lease has passed,
    // not on every call. Nobody else can take a lease before it expires, so the cached answer stays true.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _leading = new();

    public string Owner => options.Value.Id;

    /// <summary>Whether leases are taken at all (<see cref="ReplicaOptions.Leases"/>; default: on PostgreSQL).</summary>
    public bool On => options.Value.Leases ?? DatabaseOptions.PostgresSelected(configuration);

    /// <summary>Claims or renews the chat's lease for <see cref="ReplicaOptions.LeaseTime"/>; false while another replica holds it.</summary>
    public async Task<bool> TryHoldChatAsync(long chatId, CancellationToken cancellationToken)
    {
        if (!On)
        {
            return true; // one replica: every chat is trivially its own
        }

        var now = time.GetUtcNow();
        long nowTicks = now.UtcTicks, expires = (now + options.Value.LeaseTime).UtcTicks;
        var owner = Owner;
        return await ExecuteAsync(db => db.Database.ExecuteSqlAsync($"""
            INSERT INTO chat_leases ("ChatId", "Owner", "ExpiresAt") VALUES ({chatId}, {owner}, {expires})
            ON CONFLICT ("ChatId") DO UPDATE SET "Owner" = excluded."Owner", "ExpiresAt" = excluded."ExpiresAt"
            WHERE chat_leases."Owner" = excluded."Owner" OR chat_leases."ExpiresAt" <= {nowTicks}
            """, cancellationToken)) == 1;
    }

    /// <summary>Gives the chat back at the end of a turn, so any replica may take its next update at once.</summary>
    public async Task ReleaseChatAsync(long chatId)
    {
        if (!On)
        {
            return;
        }

        var owner = Owner;
        await ExecuteAsync(db => db.Database.ExecuteSqlAsync($"""
            DELETE FROM chat_leases WHERE "ChatId" = {chatId} AND "Owner" = {owner}
            """, CancellationToken.None));
    }

    /// <summary>
    /// Whether this replica leads the scheduled job <paramref name="name"/>, which asks before each run, every
    /// <paramref name="every"/>: claims or renews its lease for that period and <see cref="ReplicaOptions.LeaseTime"/>
    /// more. While its leader lives the others stand by (one run per period, not N); they take over at most a period
    /// and a lease time after it died.
    /// </summary>
    public async Task<bool> TryLeadAsync(string name, TimeSpan every, CancellationToken cancellationToken)
    {
        if (!On)
        {
            return true; // one replica: it runs everything
        }

        var duration = every + options.Value.LeaseTime;
        var now = time.GetUtcNow();
        if (_leading.TryGetValue(name, out var until) && until - now > duration * 2 / 3)
        {
            return true;
        }

        long nowTicks = now.UtcTicks, expires = (now + duration).UtcTicks;
        var owner = Owner;
        var held = await ExecuteAsync(db => db.Database.ExecuteSqlAsync($"""
            INSERT INTO leader_leases ("Name", "Owner", "ExpiresAt") VALUES ({name}, {owner}, {expires})
            ON CONFLICT ("Name") DO UPDATE SET "Owner" = excluded."Owner", "ExpiresAt" = excluded."ExpiresAt"
            WHERE leader_leases."Owner" = excluded."Owner" OR leader_leases."ExpiresAt" <= {nowTicks}
            """, cancellationToken)) == 1;
        if (held)
        {
            _leading[name] = now + duration;
        }
        else
        {
            _leading.TryRemove(name, out _);
        }

        return held;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Gives back the scheduled jobs this replica leads, so a standby takes them at its next tick.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _leading.Clear();
        if (!On)
        {
            return;
        }

        var owner = Owner;
        try
        {
            await ExecuteAsync(db => db.Database.ExecuteSqlAsync($"""
                DELETE FROM leader_leases WHERE "Owner" = {owner}
                """, cancellationToken));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database is away: the leases run out on their own, as a killed replica's do.
        }
    }

    private async Task<int> ExecuteAsync(Func<FaceSwapDbContext, Task<int>> statement)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        return await statement(scope.ServiceProvider.GetRequiredService<FaceSwapDbContext>());
    }
}
