using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FaceSwap.BotApi.Credits;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Inbox;
using FaceSwap.BotApi.Jobs;
using FaceSwap.BotApi.Telegram;
using FaceSwap.Contracts;
using FaceSwap.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FaceSwap.Tests.Data;

/// <summary>
/// The bot API on a real PostgreSQL (Database:Provider=postgres): the data layer's behaviour that SQLite's tests show,
/// where the provider makes a difference (raw SQL of the inbox, unique references inside transactions, the order of
/// concurrent spends, the outbox's dispatch). One bot API for the class, on a database of its own.
/// </summary>
[Collection(PostgresServer.Collection)]
public sealed class PostgresBotApiTests(PostgresServer server) : IAsyncLifetime
{
    private BotApiHost? _host;

    private BotApiHost Host => _host ?? throw new InvalidOperationException("Not started");

    public async Task InitializeAsync() => _host = await server.StartBotApiAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [PostgresFact]
    public async Task Grants_spends_and_refunds_are_booked_once_per_reference()
    {
        const long user = 7001;
        Assert.True(await LedgerAsync(l => l.CreditAsync(user, 3, CreditEntryKind.Grant, "grant:welcome:7001", default)));
        // The same reference again (a redelivered update, a retried webhook): a no-op, not an error.
        Assert.False(await LedgerAsync(l => l.CreditAsync(user, 3, CreditEntryKind.Grant, "grant:welcome:7001", default)));
        Assert.True(await LedgerAsync(l => l.TrySpendAsync(user, 1, "job:a:spend", default)));
        Assert.True(await LedgerAsync(l => l.TrySpendAsync(user, 1, "job:a:spend", default)));
        Assert.Equal(2, await LedgerAsync(l => l.BalanceAsync(user, default)));

        Assert.True(await LedgerAsync(l => l.CreditAsync(user, 1, CreditEntryKind.Refund, "job:a:refund", default)));
        Assert.False(await LedgerAsync(l => l.CreditAsync(user, 1, CreditEntryKind.Refund, "job:a:refund", default)));
        Assert.Equal(3, await LedgerAsync(l => l.BalanceAsync(user, default)));

        // A take-back inside a transaction that already booked it: the unique violation must not abort the transaction.
        Assert.Equal(2, await LedgerAsync(l => l.TakeBackAsync(user, 2, CreditEntryKind.Adjustment, "refund:stripe:1", default)));
        Assert.Equal(2, await LedgerAsync(l => l.TakeBackAsync(user, 2, CreditEntryKind.Adjustment, "refund:stripe:1", default)));
        Assert.Equal(1, await LedgerAsync(l => l.BalanceAsync(user, default)));
        // Grant, spend, refund, take-back: one line each, whatever was repeated.
        Assert.Equal(4, await Host.WithDatabaseAsync(db => db.CreditLedger.CountAsync(e => e.UserId == user)));
    }

    [PostgresFact]
    public async Task Concurrent_spends_never_take_a_balance_below_zero()
    {
        const long user = 7002;
        Assert.True(await LedgerAsync(l => l.CreditAsync(user, 2, CreditEntryKind.Purchase, "purchase:7002", default)));

        // Ten spends of one credit each, at once, from ten scopes (connections): on READ COMMITTED without the write
        // lock they all read a balance of 2 and more than two succeed.
        var spends = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            Task.Run(() => LedgerAsync(l => l.TrySpendAsync(user, 1, $"job:race-{i}:spend", default)))));

        Assert.Equal(2, spends.Count(spent => spent));
        Assert.Equal(0, await LedgerAsync(l => l.BalanceAsync(user, default)));
    }

    [PostgresFact]
    public async Task A_duplicate_update_is_stored_once_and_handled_once()
    {
        const long user = 7003;
        const int updateId = 880_000_001;
        var update = JsonSerializer.Serialize(new
        {
            update_id = updateId,
            message = new
            {
                message_id = 1,
                date = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                chat = new { id = user, type = "private" },
                from = new { id = user, is_bot = false, first_name = "Tester", language_code = "en" },
                text = "/start",
            },
        });

        Assert.Equal(HttpStatusCode.OK, (await PostUpdateAsync(update)).StatusCode);
        await Host.WaitUntilHandledAsync(updateId);
        // Telegram delivers it again (it did not see the 200): stored once, not handled again.
        Assert.Equal(HttpStatusCode.OK, (await PostUpdateAsync(update)).StatusCode);

        var stored = await Host.WithDatabaseAsync(db => db.InboxUpdates.AsNoTracking().Where(u => u.UpdateId == updateId).ToListAsync());
        var row = Assert.Single(stored);
        Assert.Equal(InboxStatus.Handled, row.Status);
        Assert.Equal(1, row.Attempts);
        Assert.Equal(user, row.ChatId);
        Assert.NotNull(row.HandledAt);
        Assert.True(row.HandledAt >= row.ReceivedAt);
    }

    [PostgresFact]
    public async Task A_job_is_created_with_its_spend_dispatched_through_the_outbox_and_completed()
    {
        const long userId = 7004;
        var user = new BotUser { Id = userId, ChatId = userId, CreatedAt = DateTimeOffset.UtcNow };
        await Host.WithDatabaseAsync(db =>
        {
            db.Users.Add(user);
            return db.SaveChangesAsync();
        });
        Assert.True(await LedgerAsync(l => l.CreditAsync(userId, 1, CreditEntryKind.Grant, "grant:7004", default)));

        var queued = await Host.WithServiceAsync<JobQueue, EnqueueResult>(queue =>
            queue.EnqueueAsync(user, "face-blob", "target-blob", TargetFaceSelection.Largest, askWhenSeveralFaces: false, default));
        Assert.Equal(EnqueueOutcome.Queued, queued.Outcome);
        var jobId = queued.Job!.Id;
        Assert.Equal(0, await LedgerAsync(l => l.BalanceAsync(userId, default)));

        // The dispatcher hands the outbox row to Redis and marks it; the job is then Dispatched.
        await Host.WaitUntilAsync(db => db.Outbox.AnyAsync(o => o.DispatchedAt != null), because: "the outbox message to be dispatched");
        await Host.WaitUntilAsync(db => db.Jobs.AnyAsync(j => j.Id == jobId && j.Status == JobStatus.Dispatched), because: "the job to be dispatched");
        await using (var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(Host.Redis.ConnectionString))
        {
            Assert.Equal(1, await redis.GetDatabase().StreamLengthAsync(QueueNames.Jobs));
        }

        // No second job for the same user while this one runs, and no second spend.
        var again = await Host.WithServiceAsync<JobQueue, EnqueueResult>(queue =>
            queue.EnqueueAsync(user, "face-blob", "target-blob", TargetFaceSelection.Largest, askWhenSeveralFaces: false, default));
        Assert.NotEqual(EnqueueOutcome.Queued, again.Outcome);

        Assert.True(await LifecycleAsync(jobId, (lifecycle, job) => lifecycle.SucceedAsync(job, default)));
        var done = await Host.WithDatabaseAsync(db => db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId));
        Assert.Equal(JobStatus.Succeeded, done.Status);
        Assert.NotNull(done.CompletedAt);
        Assert.Equal(0, await LedgerAsync(l => l.BalanceAsync(userId, default)));
        // A late failure report of a finished job changes nothing and refunds nothing.
        Assert.False(await LifecycleAsync(jobId, (lifecycle, job) => lifecycle.FailAsync(job, SwapFailureReason.EngineUnavailable, default)));
        Assert.Equal(0, await LedgerAsync(l => l.BalanceAsync(userId, default)));
    }

    [PostgresFact]
    public async Task Backups_are_the_servers_and_the_database_check_is_postgres()
    {
        var backup = await Host.Http.SendAsync(Host.WithOpsKey(HttpMethod.Post, "/ops/backups"));
        Assert.Equal(HttpStatusCode.Conflict, backup.StatusCode);
        Assert.Equal("application/problem+json", backup.Content.Headers.ContentType?.MediaType);
        var problem = await backup.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("point-in-time restore", problem.GetProperty("detail").GetString());

        var details = await Host.Http.SendAsync(Host.WithOpsKey(HttpMethod.Get, "/health/details"));
        var entries = (await details.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("entries");
        Assert.Equal("Healthy", entries.GetProperty("postgres").GetProperty("status").GetString());
        Assert.Equal("Healthy", entries.GetProperty("database").GetProperty("status").GetString());
        foreach (var sqliteOnly in new[] { "sqlite", "disk", "backup", "backup-disk" })
        {
            Assert.False(entries.TryGetProperty(sqliteOnly, out _), sqliteOnly);
        }

        Assert.Equal(HttpStatusCode.OK, (await Host.Http.GetAsync("/health")).StatusCode);
    }

    private Task<T> LedgerAsync<T>(Func<CreditLedger, Task<T>> use) => Host.WithServiceAsync(use);

    private async Task<bool> LifecycleAsync(string jobId, Func<SwapJobLifecycle, SwapJob, Task<bool>> change)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FaceSwapDbContext>();
        var job = await db.Jobs.SingleAsync(j => j.Id == jobId);
        return await change(scope.ServiceProvider.GetRequiredService<SwapJobLifecycle>(), job);
    }

    private Task<HttpResponseMessage> PostUpdateAsync(string update)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/telegram/webhook") { Content = new StringContent(update, Encoding.UTF8, "application/json") };
        request.Headers.Add(TelegramWebhookApi.SecretHeader, BotApiHost.WebhookSecret);
        return Host.Http.SendAsync(request);
    }
}
