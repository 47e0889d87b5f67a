using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Jobs;
using FaceSwap.Contracts;
using FaceSwap.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FaceSwap.Tests.BotApi;

/// <summary>
/// What the outbox dispatcher records once Redis took a job's entry (JobDispatcher.RecordDispatchedAsync), on a
/// migrated SQLite file with two contexts for the two services racing: the dispatcher, and the results consumer
/// recording a swap the processor finished before the dispatcher's save.
/// </summary>
public sealed class JobDispatcherTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private MigratedSqliteFile _database = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _database = await MigratedSqliteFile.CreateAsync("dispatch");
        _services = new ServiceCollection().AddDbContext<FaceSwapDbContext>(o => o.UseSqlite(_database.ConnectionString)).BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_queued_job_is_marked_dispatched_with_its_outbox_row()
    {
        await QueueAsync("job-1");
        await using var dispatcher = Context();
        var message = await dispatcher.Outbox.SingleAsync();

        await JobDispatcher.RecordDispatchedAsync(dispatcher, message, Now, CancellationToken.None);

        await using var check = Context();
        var job = await check.Jobs.SingleAsync();
        Assert.Equal((JobStatus.Dispatched, Now), (job.Status, job.DispatchedAt));
        Assert.Equal(Now, (await check.Outbox.SingleAsync()).DispatchedAt);
    }

    [Fact]
    public async Task A_result_recorded_before_the_dispatchers_save_is_not_undone()
    {
        await QueueAsync("job-2");
        await using var dispatcher = Context();
        var message = await dispatcher.Outbox.SingleAsync();
        _ = await dispatcher.Jobs.SingleAsync(); // read before the XADD, as the dispatcher did

        // The processor swapped it and the bot API recorded the result in the meantime.
        await using (var results = Context())
        {
            var job = await results.Jobs.SingleAsync();
            Assert.True(job.Succeed(Now.AddMilliseconds(200)));
            await results.SaveChangesAsync();
        }

        await JobDispatcher.RecordDispatchedAsync(dispatcher, message, Now.AddMilliseconds(300), CancellationToken.None);

        await using var check = Context();
        var after = await check.Jobs.SingleAsync();
        Assert.Equal(JobStatus.Succeeded, after.Status);
        Assert.Null(after.DispatchedAt);
        Assert.NotNull((await check.Outbox.SingleAsync()).DispatchedAt);
    }

    private FaceSwapDbContext Context() => _services.CreateScope().ServiceProvider.GetRequiredService<FaceSwapDbContext>();

    private async Task QueueAsync(string jobId)
    {
        await using var db = Context();
        db.Jobs.Add(new SwapJob { Id = jobId, UserId = 1, ChatId = 1, FaceBlobKey = "face", TargetBlobKey = "target", CreatedAt = Now });
        db.Outbox.Add(new OutboxMessage { Stream = QueueNames.Jobs, Payload = "{}", JobId = jobId, CreatedAt = Now });
        await db.SaveChangesAsync();
    }
}
