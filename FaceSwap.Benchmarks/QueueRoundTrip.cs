using System.Diagnostics;
using System.Text.Json;
using FaceSwap.Contracts;
using FaceSwap.Processor.Engines;
using FaceSwap.Processor.Queue;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using FaceSwap.Messaging;
using FaceSwap.Processor.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FaceSwap.Benchmarks;

/// <summary>
/// Job round trip through Redis Streams with the real job consumer (<see cref="SwapJobHandler"/>) and an engine that does nothing:
/// XADD + nudge (as the bot API's dispatcher does) -> processor -> XADD result + nudge -> read by a consumer group
/// woken by the nudge (as the bot API's results worker is). Sequential jobs, so each figure is one job's latency.
/// </summary>
public static class QueueRoundTrip
{
    public static async Task<int> RunAsync(string redisConnection, int jobs)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(redisConnection);
        var database = redis.GetDatabase();
        await database.KeyDeleteAsync([QueueNames.Jobs, QueueNames.Results]);
        await database.StringSetAsync("bench:face", new byte[] { 1 });
        await database.StringSetAsync("bench:target", new byte[] { 2 });
        await database.StreamCreateConsumerGroupAsync(QueueNames.Results, QueueNames.BotApiGroup, "0", createStream: true);

        var engine = new NoOpEngine();
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConnectionMultiplexer>(redis)
            .AddSingleton<IFaceSwapEngine>(engine)
            .AddSingleton<IFaceDetector>(engine)
            .AddSingleton(Options.Create(new ProcessorOptions { ConsumerName = "bench" }))
            .AddSingleton(TimeProvider.System)
            .AddSwapJobConsumer()
            .BuildServiceProvider();
        var worker = services.GetRequiredService<RedisStreamConsumer<SwapJobMessage, SwapJobHandler>>();
        await worker.StartAsync(CancellationToken.None);

        var resultNudge = new SemaphoreSlim(0);
        await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(QueueNames.ResultsNudge), (_, _) => resultNudge.Release());

        var latencies = new List<double>(jobs);
        for (var i = 0; i < jobs + 50; i++)
        {
            var message = new SwapJobMessage($"bench-{i}", 1, "bench:face", "bench:target", TargetFaceSelection.Largest, ImageFormat.Jpeg, DateTimeOffset.UtcNow);
            var started = Stopwatch.GetTimestamp();
            await redis.PublishAsync(QueueNames.Jobs, message, message.JobId, QueueNames.JobsNudge);
            while (true)
            {
                var results = await database.StreamReadGroupAsync(QueueNames.Results, QueueNames.BotApiGroup, "bench", ">", count: 1);
                if (results.Length > 0)
                {
                    await database.StreamAcknowledgeAsync(QueueNames.Results, QueueNames.BotApiGroup, results[0].Id);
                    break;
                }

                await resultNudge.WaitAsync(TimeSpan.FromSeconds(1));
            }

            if (i >= 50) // the first 50 warm up the JIT and the connection
            {
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        await worker.StopAsync(CancellationToken.None);
        latencies.Sort();
        Console.WriteLine($"queue round trip over {jobs} sequential jobs: p50 {Percentile(latencies, 0.50):F2} ms, " +
            $"p99 {Percentile(latencies, 0.99):F2} ms, max {latencies[^1]:F2} ms");
        return 0;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Min(sorted.Count - 1, Math.Round(p * (sorted.Count - 1)))];

    /// <summary>Returns the target unchanged at once: the benchmark measures the queue, not a swap.</summary>
    private sealed class NoOpEngine : IFaceSwapEngine, IFaceDetector
    {
        public string Name => "no-op";

        public Task<SwapOutput> SwapAsync(SwapRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(new SwapOutput(request.Target.Bytes.ToArray(), "image/jpeg", 1));

        public Task<IReadOnlyList<DetectedFace>> DetectAsync(EngineImage image, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<DetectedFace>>([]);

        public Task<HealthCheckResult> CheckHealthAsync(CancellationToken cancellationToken) => Task.FromResult(HealthCheckResult.Healthy());
    }
}
