using System.Net.Http.Json;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Data.Leases;
using FaceSwap.BotApi.Inbox;
using FaceSwap.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FaceSwap.Tests.Data;

/// <summary>
/// The leases that let several bot API replicas share one PostgreSQL database (Data/Leases/LeaseStore.cs): replicas
/// are stores with different owners on the same database, each on a fake clock, so expiry is shown without waiting;
/// and the bot API's inbox worker, which leaves alone a chat another replica holds.
/// </summary>
[Collection(PostgresServer.Collection)]
public sealed class LeaseStoreTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly TimeSpan LeaseTime = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private BotApiHost? _host;

    private BotApiHost Host => _host ?? throw new InvalidOperationException("Not started");

    public async Task InitializeAsync() => _host = await server.StartBotApiAsync(new Dictionary<string, string?> { ["Replica:Id"] = "host" });

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    /// <summary>A replica named <paramref name="owner"/> on the host's database and the test's clock.</summary>
    private LeaseStore Replica(string owner) =>
        new(Host.Services.GetRequiredService<IServiceScopeFactory>(), Options.Create(new ReplicaOptions { Id = owner, LeaseTime = LeaseTime }),
            Host.Services.GetRequiredService<IConfiguration>(), _clock);

    [PostgresFact]
    public async Task Two_replicas_claiming_the_same_chats_at_once_get_each_chat_once()
    {
        var a = Replica("a");
        var b = Replica("b");
        var chats = Enumerable.Range(0, 20).Select(i => 900_000L + i).ToList();

        var claims = await Task.WhenAll(chats.Select(async chat =>
        {
            var both = await Task.WhenAll(a.TryHoldChatAsync(chat, default), b.TryHoldChatAsync(chat, default));
            return (chat, both);
        }));

        foreach (var (chat, both) in claims)
        {
            Assert.True(both[0] ^ both[1], $"chat {chat}: exactly one replica holds it (a {both[0]}, b {both[1]})");
            // The holder renews; the other is still refused.
            var (holder, other) = both[0] ? (a, b) : (b, a);
            Assert.True(await holder.TryHoldChatAsync(chat, default));
            Assert.False(await other.TryHoldChatAsync(chat, default));
        }
    }

    [PostgresFact]
    public async Task A_dead_replicas_chat_is_taken_over_when_its_lease_expires_and_the_old_holder_has_lost_it()
    {
        var a = Replica("a");
        var b = Replica("b");
        const long chat = 910_001;
        Assert.True(await a.TryHoldChatAsync(chat, default));

        _clock.Advance(LeaseTime - TimeSpan.FromSeconds(1));
        Assert.False(await b.TryHoldChatAsync(chat, default));

        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await b.TryHoldChatAsync(chat, default));
        // a comes back from a long pause: the chat is b's now, and a's next check stops its turn.
        Assert.False(await a.TryHoldChatAsync(chat, default));
        Assert.Equal("b", await Host.WithDatabaseAsync(db => db.ChatLeases.Where(l => l.ChatId == chat).Select(l => l.Owner).SingleAsync()));
    }

    [PostgresFact]
    public async Task A_released_chat_is_free_at_once_and_only_its_holder_can_release_it()
    {
        var a = Replica("a");
        var b = Replica("b");
        const long chat = 910_002;
        Assert.True(await a.TryHoldChatAsync(chat, default));

        await b.ReleaseChatAsync(chat); // not b's to give back
        Assert.False(await b.TryHoldChatAsync(chat, default));

        await a.ReleaseChatAsync(chat);
        Assert.True(await b.TryHoldChatAsync(chat, default));
    }

    [PostgresFact]
    public async Task Two_schedulers_run_a_job_once_per_period_and_the_standby_takes_over_when_the_leader_dies()
    {
        var a = Replica("a");
        var b = Replica("b");
        var every = TimeSpan.FromMinutes(1);
        var runs = new List<(int Period, string By)>();

        // Both replicas tick every period, a a little before b; a job that ran is recorded once per run.
        for (var period = 0; period < 5; period++)
        {
            foreach (var (name, replica) in new[] { ("a", a), ("b", b) })
            {
                if (await replica.TryLeadAsync("test-job", every, default))
                {
                    runs.Add((period, name));
                }

                _clock.Advance(TimeSpan.FromSeconds(1));
            }

            _clock.Advance(every - TimeSpan.FromSeconds(2));
        }

        Assert.Equal(Enumerable.Range(0, 5).Select(p => (p, "a")), runs);

        // a dies. b keeps ticking and takes over within a period and a lease time, then runs once a period.
        runs.Clear();
        for (var period = 5; period < 10; period++)
        {
            if (await b.TryLeadAsync("test-job", every, default))
            {
                runs.Add((period, "b"));
            }

            _clock.Advance(every);
        }

        Assert.Equal([(6, "b"), (7, "b"), (8, "b"), (9, "b")], runs);
    }

    [PostgresFact]
    public async Task Replicas_asking_for_leadership_at_the_same_moment_elect_one()
    {
        var replicas = Enumerable.Range(0, 6).Select(i => Replica("r" + i)).ToList();
        var answers = await Task.WhenAll(replicas.Select(r => r.TryLeadAsync("test-election", TimeSpan.FromSeconds(10), default)));
        Assert.Single(answers, held => held);
    }

    [PostgresFact]
    public async Task The_inbox_worker_leaves_a_chat_another_replica_holds_until_its_lease_expires()
    {
        const long held = 920_001, free = 920_002;
        // Another replica holds the chat for an hour (the worker runs on the real clock).
        await Host.WithDatabaseAsync(db =>
        {
            db.ChatLeases.Add(new ChatLease { ChatId = held, Owner = "other", ExpiresAt = DateTimeOffset.UtcNow.AddHours(1) });
            return db.SaveChangesAsync();
        });

        await SendStartAsync(held);
        // The later update of a free chat is handled; the earlier one of the held chat waits for its holder.
        await SendStartAsync(free);
        await Host.WaitForBotMessageAsync(free, _ => true);
        Assert.Equal([InboxStatus.Pending], await Host.WithDatabaseAsync(db => db.InboxUpdates.Where(u => u.ChatId == held).Select(u => u.Status).ToListAsync()));
        Assert.Empty(await Host.BotMessagesAsync(held));

        // The holder died: its lease runs out, and this replica takes the chat over.
        await Host.WithDatabaseAsync(db => db.ChatLeases.Where(l => l.ChatId == held)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, DateTimeOffset.UtcNow.AddSeconds(-1))));
        await Host.WaitForBotMessageAsync(held, _ => true);
        // Given back after the turn: nobody holds the chat now.
        await Host.WaitUntilAsync(async db => !await db.ChatLeases.AnyAsync(l => l.ChatId == held), because: "the chat's lease to be given back");
    }

    /// <summary>A user of the emulator sends /start (the emulator posts the update to the bot API's webhook).</summary>
    private async Task SendStartAsync(long userId) =>
        (await Host.Emulator.Http.PostAsJsonAsync($"/control/users/{userId}/text", new { text = "/start", firstName = "Tester", languageCode = "en" }))
            .EnsureSuccessStatusCode();
}
