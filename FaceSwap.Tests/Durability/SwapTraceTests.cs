using System.Collections.Concurrent;
using System.Diagnostics;
using FaceSwap.Processor.Queue;
using FaceSwap.Tests.Engine;
using FaceSwap.Tests.EndToEnd;
using FaceSwap.Tests.Queue;
using FaceSwap.Tests.Support;
using StackExchange.Redis;

namespace FaceSwap.Tests.Durability;

/// <summary>One swap is one trace: the trace context travels inside the queue messages.</summary>
public sealed class SwapTraceTests
{
    [Fact]
    public async Task Inbox_dispatch_processor_and_result_delivery_share_the_trace_of_the_target_photo_update()
    {
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "FaceSwap",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);

        await using var host = await BotApiHost.StartAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(host.Redis.ConnectionString);
        // The real job loop in this process, with an engine that hands the target back unchanged (a valid photo).
        var engine = new ScriptedEngine { Output = request => request.Target.Bytes.ToArray() };
        await using var worker = await ProcessorQueue.StartAsync(redis, engine);

        var users = new EmulatorClient(host.Emulator.Http);
        const long userId = 6101;
        await users.AskAsync(userId, "/start", TimeSpan.FromSeconds(30));
        await users.AcceptTermsAsync(userId);
        await users.SendPhotoAsync(userId, TestImages.GraceHopper, "face.jpg");
        await users.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.StartsWith("Got the face") == true, TimeSpan.FromSeconds(30));
        await users.SendPhotoAsync(userId, TestImages.Astronaut, "target.png");
        await users.WaitForBotMessageAsync(userId, m => EmulatorClient.PhotoFileId(m) is not null, TimeSpan.FromSeconds(60));
        await worker.StopAsync();

        var jobId = await host.WithDatabaseAsync(db => Task.FromResult(db.Jobs.Single(j => j.UserId == userId).Id));
        // The photo goes out first; the delivery span ends after the status line is tidied up.
        for (var wait = 0; wait < 100 && !spans.Any(s => s.OperationName == "deliver result" && s.GetTagItem("faceswap.job_id") as string == jobId); wait++)
        {
            await Task.Delay(100);
        }

        var byName = spans.Where(s => s.GetTagItem("faceswap.job_id") as string == jobId).ToLookup(s => s.OperationName);
        var dispatch = Assert.Single(byName["dispatch job"]);
        var processing = Assert.Single(byName["processor swap"]);
        var delivery = Assert.Single(byName["deliver result"]);
        Assert.Equal(dispatch.TraceId, processing.TraceId);
        Assert.Equal(dispatch.TraceId, delivery.TraceId);
        Assert.Contains(spans, s => s.OperationName == "inbox handle update" && s.TraceId == dispatch.TraceId);
    }
}
