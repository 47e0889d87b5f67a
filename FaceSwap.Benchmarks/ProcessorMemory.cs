using System.Diagnostics;
using System.Globalization;
using FaceSwap.Contracts;
using FaceSwap.Messaging;
using StackExchange.Redis;

namespace FaceSwap.Benchmarks;

/// <summary>
/// Resident memory of the processor service as it runs (bench/processor-memory.sh): starts the processor's own
/// executable against a Redis, feeds it 4 MP swap jobs one after another through <c>faceswap:jobs</c> as the bot API
/// does, and reads the process's VmRSS and VmHWM from /proc after each result. The engine-only probe
/// (<c>--memory</c>) misses what a long-running service keeps between jobs; this measures that.
/// </summary>
public static class ProcessorMemory
{
    public static async Task<int> RunAsync(string redisConnection, string processorDll, int jobs, double megapixels, string[] environment)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(redisConnection);
        var database = redis.GetDatabase();
        await database.KeyDeleteAsync([QueueNames.Jobs, QueueNames.Results]);
        await database.StreamCreateConsumerGroupAsync(QueueNames.Results, QueueNames.BotApiGroup, "0", createStream: true);
        await database.StringSetAsync("bench:face", BenchmarkImages.FacePhoto);
        var target = BenchmarkImages.TargetOf(megapixels);
        await database.StringSetAsync("bench:target", target);

        using var processor = StartProcessor(redisConnection, processorDll, environment);
        try
        {
            // Ready when its consumer group exists and a warm-up job has come back: the models are loaded then.
            var rows = new List<(string Step, long Rss, long Peak, string Work)>();
            await WaitForGroupAsync(database, processor);
            rows.Add(("idle, models loaded", Status(processor, "VmRSS"), Status(processor, "VmHWM"), ""));
            for (var i = 1; i <= jobs; i++)
            {
                var before = Work(processor);
                var message = new SwapJobMessage($"memory-{i}", 1, "bench:face", "bench:target", TargetFaceSelection.Largest, ImageFormat.Jpeg, DateTimeOffset.UtcNow);
                await redis.PublishAsync(QueueNames.Jobs, message, message.JobId, QueueNames.JobsNudge);
                var outcome = await WaitForResultAsync(database, processor);
                // The processor releases memory after it has published the result (8-29 ms); read once that is over.
                await Task.Delay(TimeSpan.FromMilliseconds(300));
                var after = Work(processor);
                rows.Add(($"after job {i} ({outcome})", Status(processor, "VmRSS"), Status(processor, "VmHWM"),
                    string.Create(CultureInfo.InvariantCulture, $"{(after.CpuTicks - before.CpuTicks) * 1000 / 100} | {after.MinorFaults - before.MinorFaults}")));
            }

            Console.WriteLine($"processor memory, {jobs} jobs of a {target.Length / 1024} KB {megapixels:F1} MP JPEG target" +
                (environment.Length > 0 ? $" ({string.Join(' ', environment)})" : ""));
            Console.WriteLine("| step | VmRSS MB | VmHWM MB | CPU ms | minor page faults |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            foreach (var (step, rss, peak, work) in rows)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {step} | {rss / 1024.0:F0} | {peak / 1024.0:F0} | {(work.Length > 0 ? work : " | ")} |"));
            }

            var afterJobs = rows.Skip(1).Select(r => r.Rss).Order().ToList();
            // CPU time, unlike wall time, barely moves when other processes share the cores.
            var cpu = rows.Skip(1).Select(r => int.Parse(r.Work.Split(" | ")[0], CultureInfo.InvariantCulture)).Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"median VmRSS after a job {afterJobs[afterJobs.Count / 2] / 1024.0:F0} MB, largest {afterJobs[^1] / 1024.0:F0} MB, peak {rows[^1].Peak / 1024.0:F0} MB, median CPU per job {cpu[cpu.Count / 2]} ms"));
            return 0;
        }
        finally
        {
            processor.Kill(entireProcessTree: true);
            await processor.WaitForExitAsync();
        }
    }

    private static Process StartProcessor(string redisConnection, string processorDll, string[] environment)
    {
        var start = new ProcessStartInfo("dotnet", [Path.GetFullPath(processorDll)])
        {
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(processorDll))!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ConnectionStrings__redis"] = redisConnection;
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var setting in environment)
        {
            var parts = setting.Split('=', 2);
            start.Environment[parts[0]] = parts[1];
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) Console.Error.WriteLine($"processor: {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitForGroupAsync(IDatabase database, Process processor)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(1))
        {
            EnsureRunning(processor);
            if (await database.KeyExistsAsync(QueueNames.Jobs) &&
                (await database.StreamGroupInfoAsync(QueueNames.Jobs)).Any(g => g.Name == QueueNames.ProcessorGroup))
            {
                // The group appears once the models are loaded and the consumer runs; let start-up settle.
                await Task.Delay(TimeSpan.FromSeconds(2));
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the processor did not start consuming within a minute");
    }

    private static async Task<string> WaitForResultAsync(IDatabase database, Process processor)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            EnsureRunning(processor);
            var results = await database.StreamReadGroupAsync(QueueNames.Results, QueueNames.BotApiGroup, "bench", ">", count: 1);
            if (results.Length > 0)
            {
                await database.StreamAcknowledgeAsync(QueueNames.Results, QueueNames.BotApiGroup, results[0].Id);
                var result = System.Text.Json.JsonSerializer.Deserialize<SwapResultMessage>(results[0][StreamPublisher.PayloadField].ToString())!;
                return result.Outcome == SwapOutcome.Swapped
                    ? string.Create(CultureInfo.InvariantCulture, $"swapped in {result.EngineMs:F0} ms")
                    : $"{result.Outcome} {result.FailureReason}";
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("no result within two minutes");
    }

    private static void EnsureRunning(Process processor)
    {
        if (processor.HasExited)
        {
            throw new InvalidOperationException($"the processor exited with {processor.ExitCode}");
        }
    }

    /// <summary>The process's CPU time (user + system, in clock ticks of 10 ms) and minor page faults so far, from /proc/PID/stat.</summary>
    private static (long CpuTicks, long MinorFaults) Work(Process process)
    {
        // The fields after the command name, which is in parentheses and may hold spaces: minflt is field 10, utime 14, stime 15.
        var stat = File.ReadAllText($"/proc/{process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return (Field(14) + Field(15), Field(10));
    }

    /// <summary>A size line of /proc/PID/status, in KB.</summary>
    private static long Status(Process process, string field) =>
        File.ReadLines($"/proc/{process.Id}/status").Where(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).Single();
}
