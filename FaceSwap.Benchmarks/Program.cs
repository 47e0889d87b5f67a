using System.Diagnostics;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using FaceSwap.Benchmarks;
using FaceSwap.Contracts;
using FaceSwap.Processor.Engines;
using FaceSwap.Processor.Engines.Local;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

if (args.Contains("--memory"))
{
    return MeasureMemory();
}

// Swap quality over the benchmark's pairs, references included (docs/benchmarks.md, Engine quality): --quality OUT_DIR [PHOTO_DIR]
if (args is ["--quality", var qualityDirectory, .. var photoDirectory])
{
    return FaceSwap.Benchmarks.Quality.QualityRun.Run(qualityDirectory, photoDirectory.FirstOrDefault(), FaceSwap.Benchmarks.Quality.IdentityModels.Load());
}

// The content-safety gate's false refusals, time per image and memory (docs/benchmarks.md, Content safety): --content-safety PHOTO_DIR...
if (args is ["--content-safety", .. var safetyFolders])
{
    return FaceSwap.Benchmarks.ContentSafetyRun.Run(safetyFolders);
}

// Not BenchmarkDotNet: these measure latency distributions against running services (bench/queue.sh).
if (args is ["--queue", var redisConnection, .. var rest])
{
    return await QueueRoundTrip.RunAsync(redisConnection, rest is [var jobs] ? Int(jobs) : 2000);
}

// The processor service's resident memory over 4 MP jobs (bench/processor-memory.sh): --processor-memory REDIS PROCESSOR_DLL [JOBS=15] [MEGAPIXELS=4.2] [NAME=VALUE ...]
if (args is ["--processor-memory", var memoryRedis, var processorDll, .. var memoryRest])
{
    return await ProcessorMemory.RunAsync(memoryRedis, processorDll, memoryRest is [var count, ..] ? Int(count) : 15,
        memoryRest is [_, var size, ..] ? double.Parse(size, System.Globalization.CultureInfo.InvariantCulture) : 4.2, [.. memoryRest.Skip(2)]);
}

// Open-loop webhook load at a fixed rate (bench/intake.sh): --intake URL[,URL...] SECRET RATE SECONDS FIRST_UPDATE_ID
// (several URLs: one per bot API replica, taken in turn)
if (args is ["--intake", var url, var secret, var rate, var seconds, var firstId])
{
    return await FaceSwap.Benchmarks.Load.IntakeLoad.RunAsync([.. url.Split(',').Select(u => new Uri(u))], secret, Int(rate), TimeSpan.FromSeconds(Int(seconds)), long.Parse(firstId, System.Globalization.CultureInfo.InvariantCulture));
}

// The whole application under simulated users (bench/e2e.sh):
// --e2e [PROCESSOR_COUNTS=1,2] [SWAPS=100] [USERS=24] [CONCURRENCY=8] [REPLICAS=1] [POSTGRES_CONNECTION (none: SQLite)]
if (args is ["--e2e", .. var e2e])
{
    return await FaceSwap.Benchmarks.Load.EndToEndLoad.RunAsync(new(
        [.. (e2e.ElementAtOrDefault(0) ?? "1,2").Split(',').Select(Int)], Int(e2e.ElementAtOrDefault(1) ?? "100"),
        Int(e2e.ElementAtOrDefault(2) ?? "24"), Int(e2e.ElementAtOrDefault(3) ?? "8"),
        FaceSwap.Benchmarks.Load.StackDatabase.For(e2e.ElementAtOrDefault(5), Int(e2e.ElementAtOrDefault(4) ?? "1"))));
}

// Faults with pass/fail verdicts (bench/faults.sh): --faults [--soak-seconds N] [NAME ...]
if (args is ["--faults", .. var faults])
{
    return faults is ["--soak-seconds", var soakSeconds, .. var names]
        ? await FaceSwap.Benchmarks.Load.FaultSuite.RunAsync(names, TimeSpan.FromSeconds(Int(soakSeconds)))
        : await FaceSwap.Benchmarks.Load.FaultSuite.RunAsync(faults, TimeSpan.FromMinutes(5));
}

// --smoke (CI): every benchmark once, in this process, in any build configuration; it checks they run, not their speed.
if (args is ["--smoke", .. var filters])
{
    EngineStageBenchmarks.SmokeRun = true;
    var smoke = DefaultConfig.Instance.WithOptions(ConfigOptions.DisableOptimizationsValidator)
        .AddJob(Job.Dry.WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance));
    var summaries = BenchmarkSwitcher.FromAssembly(typeof(EngineStageBenchmarks).Assembly).Run(["--filter", .. filters is [] ? ["*"] : filters], smoke);
    return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
}

// Short and steady on a shared 2-core machine: one process, 3 warm-up and 15 measured iterations.
// It only applies when no --job is given, so '--job dry' gives a quick smoke run.
var config = DefaultConfig.Instance.AddColumn(StatisticColumn.Median).AddJob(Job.Default
    .WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(15)
    .WithStrategy(RunStrategy.Throughput).AsDefault());
BenchmarkSwitcher.FromAssembly(typeof(EngineStageBenchmarks).Assembly).Run(args, config);
return 0;

static int Int(string value) => int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

// Resident memory of a process that has loaded the models and swapped a 1 MP and a 4 MP target once each.
static int MeasureMemory()
{
    var stopwatch = Stopwatch.StartNew();
    using var engine = new LocalFaceSwapEngine(Options.Create(new LocalEngineOptions()), NullLogger<LocalFaceSwapEngine>.Instance);
    engine.EnsureModelsLoaded();
    var loadMs = stopwatch.ElapsedMilliseconds;
    var afterLoad = Rss();
    foreach (var megapixels in new[] { 1.0, 4.0 })
    {
        engine.Swap(new SwapRequest(new EngineImage(BenchmarkImages.FacePhoto), new EngineImage(BenchmarkImages.TargetOf(megapixels)), SwapOptions.Default), CancellationToken.None);
    }

    GC.Collect();
    var status = File.ReadAllLines("/proc/self/status");
    Console.WriteLine($"model load (cold, first in process): {loadMs} ms");
    Console.WriteLine($"RSS after model load: {afterLoad / 1024 / 1024} MB");
    Console.WriteLine($"RSS after 1 MP + 4 MP swaps: {Rss() / 1024 / 1024} MB; {status.First(l => l.StartsWith("VmHWM", StringComparison.Ordinal))}");
    return 0;

    static long Rss()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }
}
