using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FaceSwap.Contracts;
using StackExchange.Redis;

namespace FaceSwap.Benchmarks.Load;

/// <summary>
/// End to end through the whole application: simulated users send a face and then target photos to the emulator, and
/// the time from the target photo to the swapped photo in the chat is measured. Two phases per processor count:
/// one swap at a time (latency), then many users at once (throughput). The engine's own time per job comes from the
/// processors' result messages, so the queue and messaging overhead is what remains.
/// </summary>
public static class EndToEndLoad
{
    private static readonly TimeSpan SwapTimeout = TimeSpan.FromSeconds(120);

    public sealed record Settings(int[] ProcessorCounts, int Swaps, int Users, int Concurrency);

    public static async Task<int> RunAsync(Settings settings)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Users, settings.Concurrency);
        Console.WriteLine($"== machine: {Environment.ProcessorCount} cores; load {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine($"== {settings.Swaps} swaps per phase, {settings.Users} users, {settings.Concurrency} at once in the throughput phase; target ~1 MP JPEG");
        var face = BenchmarkImages.FacePhoto;
        var target = BenchmarkImages.TargetOf(1.0);
        var failures = 0;
        foreach (var processors in settings.ProcessorCounts)
        {
            var started = Stopwatch.StartNew();
            await using var stack = await LocalStack.StartAsync(processors);
            Console.WriteLine($"-- {processors} processor(s): stack ready in {started.Elapsed.TotalSeconds:F1} s");
            using var http = new HttpClient { BaseAddress = stack.EmulatorUrl, Timeout = TimeSpan.FromSeconds(30) };
            var users = new SimulatedUsers(http);
            await using var redis = await ConnectionMultiplexer.ConnectAsync(stack.RedisConnection);

            var userIds = Enumerable.Range(0, settings.Users).Select(i => 500_000L + (processors * 10_000) + i).ToArray();
            await Parallel.ForEachAsync(userIds, new ParallelOptions { MaxDegreeOfParallelism = 8 },
                async (id, _) => await users.PrepareAsync(id, face, TimeSpan.FromSeconds(60)));
            foreach (var id in userIds.Take(3))
            {
                await users.SwapAsync(id, target, SwapTimeout); // warm-up: JIT, first model use, connections
            }

            await Task.Delay(TimeSpan.FromSeconds(3));
            var idle = MemoryLine(stack);

            var sequential = await MeasureAsync(redis, () => SequentialAsync(users, userIds, target, settings.Swaps));
            var concurrent = await MeasureAsync(redis, () => ConcurrentAsync(users, userIds, target, settings.Swaps, settings.Concurrency));
            var loaded = MemoryLine(stack);

            Report($"{processors} processor(s), one swap at a time", sequential);
            Report($"{processors} processor(s), {settings.Concurrency} users at once", concurrent);
            Console.WriteLine($"   memory idle (after warm-up): {idle}");
            Console.WriteLine($"   memory after load (peak in brackets): {loaded}");
            failures += sequential.Lost + concurrent.Lost;
        }

        Console.WriteLine(failures == 0 ? "VERDICT: PASS, every swap delivered" : $"VERDICT: FAIL, {failures} swaps not delivered");
        return failures == 0 ? 0 : 1;
    }

    private static async Task<List<SwapOutcome>> SequentialAsync(SimulatedUsers users, long[] userIds, byte[] target, int swaps)
    {
        var outcomes = new List<SwapOutcome>(swaps);
        for (var i = 0; i < swaps; i++)
        {
            outcomes.Add(await users.SwapAsync(userIds[i % userIds.Length], target, SwapTimeout));
        }

        return outcomes;
    }

    /// <summary>Each of <paramref name="concurrency"/> workers is a user sending a new target as soon as the last result arrived.</summary>
    private static async Task<List<SwapOutcome>> ConcurrentAsync(SimulatedUsers users, long[] userIds, byte[] target, int swaps, int concurrency)
    {
        var outcomes = new List<SwapOutcome>(swaps);
        var next = -1;
        await Parallel.ForEachAsync(Enumerable.Range(0, concurrency), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (worker, _) =>
        {
            // Each worker has its own users and rotates through them: a user never has two swaps at once, and no
            // chat passes Telegram's per-chat message limit.
            var mine = userIds.Where((_, index) => index % concurrency == worker).ToArray();
            for (var turn = 0; Interlocked.Increment(ref next) < swaps; turn++)
            {
                var outcome = await users.SwapAsync(mine[turn % mine.Length], target, SwapTimeout);
                lock (outcomes)
                {
                    outcomes.Add(outcome);
                }
            }
        });
        return outcomes;
    }

    public sealed record PhaseResult(List<SwapOutcome> Outcomes, double Seconds, double[] EngineMs, double[] QueueWaitMs)
    {
        public int Lost => Outcomes.Count(o => !o.Delivered);
    }

    private static async Task<PhaseResult> MeasureAsync(ConnectionMultiplexer redis, Func<Task<List<SwapOutcome>>> phase)
    {
        var from = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var clock = Stopwatch.StartNew();
        var outcomes = await phase();
        var seconds = clock.Elapsed.TotalSeconds;
        var entries = await redis.GetDatabase().StreamRangeAsync(QueueNames.Results, $"{from}-0", "+");
        var results = entries.Select(e => JsonSerializer.Deserialize<SwapResultMessage>((string)e["payload"]!)!).Where(r => r.Succeeded).ToList();
        return new PhaseResult(outcomes, seconds, [.. results.Select(r => r.EngineMs).Order()], [.. results.Select(r => r.QueueWaitMs).Order()]);
    }

    private static void Report(string title, PhaseResult phase)
    {
        var latencies = phase.Outcomes.Where(o => o.Delivered).Select(o => o.LatencyMs).Order().ToArray();
        var p50 = IntakeLoad.Percentile(latencies, 0.50);
        var engine = IntakeLoad.Percentile(phase.EngineMs, 0.50);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   {title}: {latencies.Length}/{phase.Outcomes.Count} delivered in {phase.Seconds:F1} s = {latencies.Length / phase.Seconds * 60:F0} swaps/min; " +
            $"end to end p50 {p50:F0} ms, p95 {IntakeLoad.Percentile(latencies, 0.95):F0} ms, max {(latencies.Length > 0 ? latencies[^1] : double.NaN):F0} ms; " +
            $"photo to \"Queued\" p50 {IntakeLoad.Percentile([.. phase.Outcomes.Select(o => o.QueuedMs).Where(double.IsFinite).Order()], 0.50):F0} ms; " +
            $"engine p50 {engine:F0} ms, queue wait p50 {IntakeLoad.Percentile(phase.QueueWaitMs, 0.50):F0} ms; " +
            $"overhead p50 {p50 - engine:F0} ms = {(p50 - engine) / engine * 100:F0} % of the engine time"));
        foreach (var problem in phase.Outcomes.Where(o => !o.Delivered).Take(5))
        {
            Console.WriteLine($"     not delivered: user {problem.UserId}, message {problem.TargetMessageId}: {problem.Problem}");
        }
    }

    private static string MemoryLine(LocalStack stack)
    {
        string Of(ChildService service)
        {
            var (current, peak) = service.Memory();
            return string.Create(CultureInfo.InvariantCulture, $"{service.Name} {current:F0} MB ({peak:F0})");
        }

        return string.Join(", ", new[] { stack.BotApi }.Concat(stack.Processors).Concat([stack.Emulator]).Select(Of));
    }
}
