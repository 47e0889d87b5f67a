using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using FaceSwap.Contracts;
using StackExchange.Redis;

namespace FaceSwap.Benchmarks.Load;

/// <summary>
/// End to end through the whole application: simulated users send a face and then target photos to the emulator, and
/// the time from the target photo to the swapped photo in the chat is measured. Two phases per processor count:
/// one swap at a time (latency), then many users at once (throughput). The engine's own time per job comes from the
/// processors' result messages, so the queue and messaging overhead is what remains. The bot API runs on SQLite, or on
/// PostgreSQL with one or more replicas behind a round-robin (<see cref="StackDatabase"/>); with several, either
/// replica's results consumer may deliver a swap.
/// </summary>
public static class EndToEndLoad
{
    private static readonly TimeSpan SwapTimeout = TimeSpan.FromSeconds(120);

    public sealed record Settings(int[] ProcessorCounts, int Swaps, int Users, int Concurrency, StackDatabase Database);

    public static async Task<int> RunAsync(Settings settings)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Users, settings.Concurrency);
        Console.WriteLine($"== machine: {Environment.ProcessorCount} cores; load {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine($"== database: {settings.Database.Name}; {settings.Swaps} swaps per phase, {settings.Users} users, {settings.Concurrency} at once in the throughput phase; target ~1 MP JPEG");
        var face = BenchmarkImages.FacePhoto;
        var target = BenchmarkImages.TargetOf(1.0);
        var failures = 0;
        foreach (var processors in settings.ProcessorCounts)
        {
            var started = Stopwatch.StartNew();
            await using var stack = await LocalStack.StartAsync(processors, database: settings.Database);
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
            var telegram = await TelegramSideAsync(stack, http, 499_999, target);

            var sequential = await MeasureAsync(stack, redis, () => SequentialAsync(users, userIds, target, settings.Swaps));
            var concurrent = await MeasureAsync(stack, redis, () => ConcurrentAsync(users, userIds, target, settings.Swaps, settings.Concurrency));
            var loaded = MemoryLine(stack);

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   baseline, Telegram's side (the emulator, same run, 20 calls each): getFile + download of the target p50 {telegram.DownloadMs:F0} ms, sendPhoto of it p50 {telegram.SendPhotoMs:F0} ms"));
            Report($"{processors} processor(s), one swap at a time", sequential);
            Report($"{processors} processor(s), {settings.Concurrency} users at once", concurrent);
            Console.WriteLine($"   memory idle (after warm-up): {idle}");
            Console.WriteLine($"   memory after load (peak in brackets): {loaded}");
            failures += sequential.Lost + concurrent.Lost;
            if (stack.Balancer is { } balancer)
            {
                var forwarded = balancer.Forwarded(stack.BotApis.Count);
                Console.WriteLine($"   webhook posts through the round-robin, per replica: {string.Join(" / ", forwarded)}");
                // A replica that took nothing means the run measured one replica, whatever it says.
                failures += forwarded.Count(n => n == 0);
            }
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

    /// <summary>Medians of each leg of a delivered job, from the bot API's own timestamps (ms).</summary>
    /// <param name="Incomplete">Delivered jobs with a leg's time missing (left out of that leg's median).</param>
    public sealed record Legs(double Received, double Queued, double Dispatched, double Processed, double Delivered, int Incomplete);

    /// <param name="OwnMs">Per delivered swap: end to end less the engine's time less the sendPhoto call (Telegram's
    /// upload and processing), i.e. what the bot, the queue and the webhook add.</param>
    public sealed record PhaseResult(List<SwapOutcome> Outcomes, double Seconds, double[] EngineMs, double[] QueueWaitMs, Legs Legs, double[] OwnMs)
    {
        public int Lost => Outcomes.Count(o => !o.Delivered);
    }

    private static async Task<PhaseResult> MeasureAsync(LocalStack stack, ConnectionMultiplexer redis, Func<Task<List<SwapOutcome>>> phase)
    {
        var started = DateTimeOffset.UtcNow;
        var from = started.ToUnixTimeMilliseconds();
        var clock = Stopwatch.StartNew();
        var outcomes = await phase();
        var seconds = clock.Elapsed.TotalSeconds;
        var entries = await redis.GetDatabase().StreamRangeAsync(QueueNames.Results, $"{from}-0", "+");
        var results = entries.Select(e => JsonSerializer.Deserialize<SwapResultMessage>((string)e["payload"]!)!).Where(r => r.Succeeded).ToList();
        var (legs, sendPhotoByJob) = await LegsAsync(stack, started);
        var engineByJob = results.GroupBy(r => r.JobId).ToDictionary(g => g.Key, g => g.Last().EngineMs);
        double[] own = [.. outcomes.Where(o => o.Delivered)
            .Select(o => (Job: $"update-{o.UpdateId}", o.LatencyMs))
            .Where(o => engineByJob.ContainsKey(o.Job) && sendPhotoByJob.ContainsKey(o.Job))
            .Select(o => o.LatencyMs - engineByJob[o.Job] - sendPhotoByJob[o.Job]).Order()];
        return new PhaseResult(outcomes, seconds, [.. results.Select(r => r.EngineMs).Order()], [.. results.Select(r => r.QueueWaitMs).Order()], legs, own);
    }

    /// <summary>
    /// Where a swap's time goes inside the bot API, from the rows it keeps (UTC ticks): update stored -> job created
    /// (photo downloaded, checked, paid for) -> dispatched to Redis -> result consumed (queue, processor, engine) ->
    /// delivered (the photo sent to Telegram).
    /// </summary>
    private static async Task<(Legs Medians, Dictionary<string, double> SendPhotoByJob)> LegsAsync(LocalStack stack, DateTimeOffset from)
    {
        await using var connection = await stack.OpenDatabaseAsync();
        await using var command = connection.CreateCommand();
        // Quoted names and an @ parameter: the same query on SQLite and PostgreSQL (EF Core's column names are cased).
        command.CommandText = """
            SELECT j."CreatedAt" - u."ReceivedAt", j."DispatchedAt" - j."CreatedAt", j."CompletedAt" - j."DispatchedAt", j."DeliveredAt" - j."CompletedAt", j."Id"
            FROM jobs j JOIN inbox_updates u ON j."Id" = 'update-' || u."UpdateId"
            WHERE j."CreatedAt" >= @from AND j."Status" = 2
            """;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "from";
        parameter.Value = from.UtcTicks;
        command.Parameters.Add(parameter);
        var legs = new List<double>[4] { [], [], [], [] };
        var sendPhoto = new Dictionary<string, double>(StringComparer.Ordinal);
        var jobs = 0;
        var incomplete = 0;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            jobs++;
            // A delivered job can lack a time: DispatchedAt is only set while the job is still Queued, and the
            // processor's start can be recorded first. That leg is left out of its median for that job.
            incomplete += Enumerable.Range(0, 4).Any(i => reader.IsDBNull(i)) ? 1 : 0;
            for (var i = 0; i < 4; i++)
            {
                if (!reader.IsDBNull(i))
                {
                    legs[i].Add(reader.GetInt64(i) / (double)TimeSpan.TicksPerMillisecond);
                }
            }

            if (!reader.IsDBNull(3))
            {
                sendPhoto[reader.GetString(4)] = legs[3][^1];
            }
        }

        double Median(List<double> values) => IntakeLoad.Percentile([.. values.Order()], 0.5);
        return (new Legs(jobs, Median(legs[0]), Median(legs[1]), Median(legs[2]), Median(legs[3]), incomplete), sendPhoto);
    }

    public sealed record TelegramSide(double DownloadMs, double SendPhotoMs);

    /// <summary>
    /// What the two Bot API calls a swap needs cost on their own, against the same emulator: the bot downloads the
    /// target and uploads the result. The emulator re-encodes every photo into four sizes as Telegram does, and that
    /// time is Telegram's, not the bot's.
    /// </summary>
    private static async Task<TelegramSide> TelegramSideAsync(LocalStack stack, HttpClient emulator, long userId, byte[] photo)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(photo), "file", "target.jpg" } };
        using var sent = await emulator.PostAsync($"/control/users/{userId}/photo", form);
        var fileId = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fileId").GetString();
        var bot = $"/bot{LocalStack.BotToken}";
        var download = new List<double>();
        var uploads = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var clock = Stopwatch.StartNew();
            var file = await emulator.GetFromJsonAsync<JsonElement>($"{bot}/getFile?file_id={fileId}");
            _ = await emulator.GetByteArrayAsync($"/file{bot}/{file.GetProperty("result").GetProperty("file_path").GetString()}");
            download.Add(clock.Elapsed.TotalMilliseconds);

            clock.Restart();
            using var upload = new MultipartFormDataContent
            {
                { new StringContent(userId.ToString(CultureInfo.InvariantCulture)), "chat_id" },
                { new ByteArrayContent(photo), "photo", "result.jpg" },
            };
            (await emulator.PostAsync($"{bot}/sendPhoto", upload)).EnsureSuccessStatusCode();
            uploads.Add(clock.Elapsed.TotalMilliseconds);
        }

        return new TelegramSide(IntakeLoad.Percentile([.. download.Order()], 0.5), IntakeLoad.Percentile([.. uploads.Order()], 0.5));
    }

    private static void Report(string title, PhaseResult phase)
    {
        var latencies = phase.Outcomes.Where(o => o.Delivered).Select(o => o.LatencyMs).Order().ToArray();
        var p50 = IntakeLoad.Percentile(latencies, 0.50);
        var engine = IntakeLoad.Percentile(phase.EngineMs, 0.50);
        var incomplete = phase.Legs.Incomplete > 0 ? $" ({phase.Legs.Incomplete} jobs without a time for some leg)" : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   {title}: {latencies.Length}/{phase.Outcomes.Count} delivered in {phase.Seconds:F1} s = {latencies.Length / phase.Seconds * 60:F0} swaps/min; " +
            $"end to end p50 {p50:F0} ms, p95 {IntakeLoad.Percentile(latencies, 0.95):F0} ms, max {(latencies.Length > 0 ? latencies[^1] : double.NaN):F0} ms; " +
            $"inside the bot API (medians of {phase.Legs.Received:F0} jobs): stored -> job {phase.Legs.Queued:F0} ms -> dispatched {phase.Legs.Dispatched:F0} ms -> result consumed {phase.Legs.Processed:F0} ms -> photo sent {phase.Legs.Delivered:F0} ms{incomplete}; " +
            $"engine p50 {engine:F0} ms, queue wait p50 {IntakeLoad.Percentile(phase.QueueWaitMs, 0.50):F0} ms; " +
            $"overhead p50 {p50 - engine:F0} ms = {(p50 - engine) / engine * 100:F0} % of the engine time; " +
            $"without Telegram's sendPhoto (per swap: end to end - engine - sendPhoto) p50 {IntakeLoad.Percentile(phase.OwnMs, 0.5):F0} ms = {IntakeLoad.Percentile(phase.OwnMs, 0.5) / engine * 100:F0} % of the engine time"));
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

        return string.Join(", ", stack.BotApis.Concat(stack.Processors).Concat([stack.Emulator]).Select(Of));
    }
}
