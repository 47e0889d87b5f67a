using FaceSwap.BotApi.Data;
using FaceSwap.Tests.BotApi;
using FaceSwap.Contracts;
using FaceSwap.Tests.Engine;
using FaceSwap.Tests.EndToEnd;
using FaceSwap.Tests.Queue;
using FaceSwap.Tests.Support;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace FaceSwap.Tests.Safety;

/// <summary>
/// Two ordinary photos pass intake, but the engine's result is what the content-safety gate refuses: the bot API and
/// the processor's real consumers (the engine scripted to return the classifier-positive fixture, inside the gate as
/// the processor wraps every engine), the emulator answering as Telegram does.
/// </summary>
public sealed class UnsafeResultTests
{
    private static readonly TimeSpan Reply = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_result_the_content_Safety_gate_refuses_fails_the_job_at_once_refunds_it_and_tells_the_user()
    {
        await using var host = await BotApiHost.StartAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(host.Redis.ConnectionString);
        var engine = new ScriptedEngine { Output = _ => SafetyTestImages.ClassifierPositive };
        await using var processor = await ProcessorQueue.StartAsync(redis, engine, safety: TestGates.Default);
        var users = new EmulatorClient(host.Emulator.Http);
        const long userId = 7501;
        await ResultIsolationTests.SendFaceAsync(users, userId);

        await users.SendPhotoAsync(userId, TestImages.Astronaut, "target.png");

        var failed = await users.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.Contains("The swap failed") == true, Reply);
        Assert.Contains("the result looked like sexual content, so it was not sent", EmulatorClient.Text(failed));
        Assert.Contains("Your credit was returned", EmulatorClient.Text(failed));
        Assert.DoesNotContain(await users.BotMessagesAsync(userId), m => EmulatorClient.PhotoFileId(m) is not null);
        var job = await host.WithDatabaseAsync(db => db.Jobs.SingleAsync(j => j.UserId == userId));
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal(nameof(SwapFailureReason.UnsafeContent), job.FailureReason);
        Assert.Equal(1, engine.Calls); // bad content is not retried
        Assert.False(await redis.GetDatabase().KeyExistsAsync(QueueNames.ResultBlobKey(job.Id))); // never stored
        Assert.Equal(1, await host.WithDatabaseAsync(db => db.CreditLedger.CountAsync(e => e.UserId == userId && e.Kind == CreditEntryKind.Refund)));
        Assert.Equal("You have 3 credits.", EmulatorClient.Text(await users.AskAsync(userId, "/balance", Reply)));
    }
}
