using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Jobs;
using FaceSwap.BotApi.Operations;
using FaceSwap.Contracts;
using FaceSwap.Messaging;
using FaceSwap.Tests.Engine;
using FaceSwap.Tests.EndToEnd;
using FaceSwap.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace FaceSwap.Tests.BotApi;

/// <summary>A job whose queue entry Redis lost is dispatched again, then failed and refunded: its user is never locked out.</summary>
public sealed class JobSweeperTests
{
    private static readonly TimeSpan Reply = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_lost_queue_entry_is_dispatched_again_then_failed_refunded_and_explained_and_the_user_can_swap_again()
    {
        // No processor runs here: jobs stay on the stream, as if the processor never got them.
        await using var host = await BotApiHost.StartAsync(new Dictionary<string, string?> { ["Jobs:Sweeper:Enabled"] = "false" });
        var users = new EmulatorClient(host.Emulator.Http);
        var redis = host.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        const long userId = 7301;
        await users.QueueSwapAsync(userId, Reply);
        var jobId = await WaitForJobAsync(host, userId, JobStatus.Dispatched);
        await LoseQueueEntriesAsync(redis);

        // Before the bound nothing happens; after it the same job id goes on the stream again.
        var options = new JobSweeperOptions();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var sweeper = new JobSweeper(host.Services.GetRequiredService<IServiceScopeFactory>(), host.Services.GetRequiredService<IConnectionMultiplexer>(),
            Options.Create(options), SingleReplica.Leases(clock), clock, host.Services.GetRequiredService<FaceSwapMetrics>(), NullLogger<JobSweeper>.Instance);
        Assert.Equal(new JobSweeper.SweepReport(0, 0, 0), await sweeper.SweepAsync(CancellationToken.None));
        clock.Advance(options.StuckAfter + TimeSpan.FromSeconds(1));
        Assert.Equal(new JobSweeper.SweepReport(1, 0, 0), await sweeper.SweepAsync(CancellationToken.None));
        await WaitForJobAsync(host, userId, JobStatus.Dispatched);
        var again = Assert.Single(await redis.StreamRangeAsync(QueueNames.Jobs));
        Assert.Equal(jobId, (string?)again["key"]);
        Assert.Equal("You have 2 credits.", EmulatorClient.Text(await users.AskAsync(userId, "/balance", Reply)));

        // Lost again: now it fails, the credit comes back, and the user hears why.
        await LoseQueueEntriesAsync(redis);
        clock.SetUtcNow(DateTimeOffset.UtcNow + options.StuckAfter + TimeSpan.FromSeconds(1));
        Assert.Equal(new JobSweeper.SweepReport(0, 1, 0), await sweeper.SweepAsync(CancellationToken.None));
        await users.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.Contains("got stuck on our side", StringComparison.Ordinal) == true, Reply);
        Assert.Equal("You have 3 credits.", EmulatorClient.Text(await users.AskAsync(userId, "/balance", Reply)));
        var job = await host.WithDatabaseAsync(db => db.Jobs.SingleAsync(j => j.Id == jobId));
        Assert.Equal((JobStatus.Failed, nameof(SwapFailureReason.Stuck), 1), (job.Status, job.FailureReason, job.Redispatches));
        Assert.Equal(1, await host.WithDatabaseAsync(db => db.CreditLedger.CountAsync(e => e.Reference == JobQueue.RefundReference(jobId))));

        // Not locked out: a new target starts a new swap rather than "already running".
        var before = (await users.BotMessagesAsync(userId)).Count;
        await users.SendPhotoAsync(userId, TestImages.Astronaut, "target.png");
        var answer = await users.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m) is not null, Reply, skip: before);
        Assert.Contains("Queued", EmulatorClient.Text(answer), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_face_choice_left_unanswered_is_refunded_once_after_its_bound()
    {
        await using var host = await BotApiHost.StartAsync(new Dictionary<string, string?> { ["Jobs:Sweeper:Enabled"] = "false" });
        var users = new EmulatorClient(host.Emulator.Http);
        const long userId = 7302;
        await users.AskAsync(userId, "/start", Reply);
        await users.AcceptTermsAsync(userId);
        await users.SendPhotoAsync(userId, TestImages.GraceHopper, "face.jpg");
        await users.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.StartsWith("Got the face") == true, Reply);
        await users.SendPhotoAsync(userId, TestImages.Astronaut, "target.png");
        var jobId = await WaitForJobAsync(host, userId, JobStatus.Dispatched);
        // The processor's answer: two faces, which one?
        var redis = host.Services.GetRequiredService<IConnectionMultiplexer>();
        await redis.GetDatabase().StringSetAsync("preview:" + jobId, TestImages.GraceHopper, TimeSpan.FromMinutes(5));
        await redis.PublishAsync(QueueNames.Results, new SwapResultMessage(jobId, SwapOutcome.NeedsFaceChoice, null, null, null, 0, 0, 1,
            FacesFound: 2, PreviewBlobKey: "preview:" + jobId), jobId, QueueNames.ResultsNudge);
        await WaitForJobAsync(host, userId, JobStatus.AwaitingChoice);
        // The question (the preview photo, after the status line is edited) is sent after the job's status is saved:
        // wait for it, so the answer to /balance is the next message.
        await users.WaitForBotMessageAsync(userId, m => EmulatorClient.PhotoFileId(m) is not null && EmulatorClient.Text(m)?.StartsWith("I found 2 faces") == true, Reply);
        Assert.Equal("You have 2 credits.", EmulatorClient.Text(await users.AskAsync(userId, "/balance", Reply)));

        var options = new JobSweeperOptions();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow + options.ChoiceExpiresAfter + TimeSpan.FromSeconds(1));
        var sweeper = new JobSweeper(host.Services.GetRequiredService<IServiceScopeFactory>(), redis, Options.Create(options), SingleReplica.Leases(clock), clock,
            host.Services.GetRequiredService<FaceSwapMetrics>(), NullLogger<JobSweeper>.Instance);
        Assert.Equal(new JobSweeper.SweepReport(0, 0, 1), await sweeper.SweepAsync(CancellationToken.None));
        Assert.Equal(new JobSweeper.SweepReport(0, 0, 0), await sweeper.SweepAsync(CancellationToken.None));
        Assert.Equal(JobStatus.Superseded, await host.WithDatabaseAsync(db => db.Jobs.Where(j => j.Id == jobId).Select(j => j.Status).SingleAsync()));
        Assert.Equal("You have 3 credits.", EmulatorClient.Text(await users.AskAsync(userId, "/balance", Reply)));
    }

    private static async Task LoseQueueEntriesAsync(IDatabase redis)
    {
        foreach (var entry in await redis.StreamRangeAsync(QueueNames.Jobs))
        {
            await redis.StreamDeleteAsync(QueueNames.Jobs, [entry.Id]);
        }
    }

    private static async Task<string> WaitForJobAsync(BotApiHost host, long userId, JobStatus status)
    {
        var deadline = DateTime.UtcNow + Reply;
        while (true)
        {
            var job = await host.WithDatabaseAsync(db => db.Jobs.Where(j => j.UserId == userId).OrderByDescending(j => j.CreatedAt).FirstOrDefaultAsync());
            if (job?.Status == status)
            {
                return job.Id;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the job did not become {status} in time (it is {job?.Status})");
            await Task.Delay(100);
        }
    }
}
