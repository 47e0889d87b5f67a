using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Data.Sqlite;

namespace FaceSwap.Benchmarks.Load;

/// <summary>
/// Faults injected into the running application while simulated users swap, each ending in a verdict:
/// no update lost, no swap delivered twice or not at all, no credit lost or spent twice, and healthy again within
/// <see cref="RecoveryBound"/> of the repair. Run one, several or all: <c>bench/faults.sh [name ...]</c>.
/// </summary>
public static partial class FaultSuite
{
    /// <summary>The stated time within which /health answers 200 again after a fault is repaired.</summary>
    public static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(30);

    private const int FreeCredits = 1000;
    private const string OpsKey = "fault-suite-operator-key";
    private static readonly TimeSpan SwapTimeout = TimeSpan.FromSeconds(150);

    /// <summary>Jobs a killed processor held are taken over after this (production: 60 s); a shorter wait keeps runs short.</summary>
    private static readonly Dictionary<string, string> ProcessorSettings = new() { ["Processor__VisibilityTimeout"] = "00:00:10" };

    private static readonly Dictionary<string, Func<Scenario, Task>> Scenarios = new(StringComparer.Ordinal)
    {
        ["processor-kill"] = ProcessorKilledMidJobAsync,
        ["redis-restart"] = RedisRestartedAsync,
        ["botapi-restart"] = BotApiRestartedAsync,
        ["webhook-duplicates"] = DuplicateAndReorderedDeliveriesAsync,
        ["telegram-errors"] = TelegramErrorsAsync,
        ["backup-disk-full"] = BackupDiskFullAsync,
        ["soak"] = SoakWithProcessorRestartAsync,
        // Isolation: one user, chat, job or upload must not hold up or take down the others (FaultSuite.Isolation.cs).
        ["user-blocks-bot"] = UserBlocksBotAsync,
        ["chatty-chat"] = ChattyChatAsync,
        ["lost-queue-entry"] = LostQueueEntryAsync,
        ["large-uploads"] = LargeUploadsAsync,
        ["memory-cap"] = MemoryCapAsync,
        ["slow-hosted-job"] = SlowHostedJobAsync,
    };

    public static IEnumerable<string> Names => Scenarios.Keys;

    /// <param name="soakDuration">How long the soak's users keep swapping (the issue asks for 5 minutes).</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> names, TimeSpan soakDuration)
    {
        var selected = names.Count == 0 ? [.. Scenarios.Keys] : names;
        var unknown = selected.Where(n => !Scenarios.ContainsKey(n)).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"Unknown fault(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", Scenarios.Keys)}");
            return 2;
        }

        Console.WriteLine($"== machine: {Environment.ProcessorCount} cores; load {File.ReadAllText("/proc/loadavg").Trim()}");
        var verdicts = new List<(string Name, string Verdict)>();
        foreach (var name in selected)
        {
            var clock = Stopwatch.StartNew();
            var scenario = new Scenario(name, soakDuration);
            try
            {
                await Scenarios[name](scenario);
            }
            catch (Exception ex)
            {
                scenario.Fail($"the run itself failed: {ex.GetType().Name}: {ex.Message}");
            }

            var verdict = scenario.Skipped is { } why ? "SKIPPED: " + why
                : scenario.Problems.Count == 0 ? "PASS" : "FAIL: " + string.Join("; ", scenario.Problems);
            Console.WriteLine($"-- {name}: {verdict} ({clock.Elapsed.TotalSeconds:F0} s)");
            foreach (var fact in scenario.Facts)
            {
                Console.WriteLine($"     {fact}");
            }

            verdicts.Add((name, verdict));
        }

        var failed = verdicts.Count(v => v.Verdict.StartsWith("FAIL", StringComparison.Ordinal));
        Console.WriteLine(failed == 0 ? $"VERDICT: PASS ({verdicts.Count} faults)" : $"VERDICT: FAIL ({failed} of {verdicts.Count} faults)");
        return failed == 0 ? 0 : 1;
    }

    // ---- the faults ----

    /// <summary>SIGKILL the only processor while it swaps; start a new one. The job is taken over and delivered once.</summary>
    private static Task ProcessorKilledMidJobAsync(Scenario scenario) =>
        KilledAndRestartedAsync(scenario, stack => stack.Processors[0], "processor SIGKILLed with a job running; restarted 2 s later",
            TimeSpan.FromSeconds(2), "processors", midJob: true);

    /// <summary>SIGKILL redis-server under load and start it again on the same data (append-only file, fsync always).</summary>
    private static Task RedisRestartedAsync(Scenario scenario) =>
        KilledAndRestartedAsync(scenario, stack => stack.Redis, "redis-server SIGKILLed; down for 3 s", TimeSpan.FromSeconds(3), "redis");

    /// <summary>SIGKILL the bot API while users send messages and photos; Telegram (the emulator) retries its webhook.</summary>
    private static Task BotApiRestartedAsync(Scenario scenario) =>
        KilledAndRestartedAsync(scenario, stack => stack.BotApi, "bot API SIGKILLed; down for 3 s while updates kept coming",
            TimeSpan.FromSeconds(3), check: null, chatter: true);

    /// <summary>Six users swap for 25 s; 5 s in, one process is SIGKILLed, and started again after <paramref name="downtime"/>.</summary>
    /// <param name="check">The health check that must be Healthy again (null: readiness, <c>/health</c>, is enough).</param>
    private static async Task KilledAndRestartedAsync(Scenario scenario, Func<LocalStack, ChildService> victimOf, string what, TimeSpan downtime,
        string? check, bool midJob = false, bool chatter = false)
    {
        await using var stack = await StartStackAsync(processors: 1);
        var users = await scenario.UsersAsync(stack, 6);
        await scenario.WithLoadAsync(stack, users, TimeSpan.FromSeconds(25), async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            if (midJob)
            {
                await WaitForRunningJobAsync(stack);
            }

            var victim = victimOf(stack);
            await victim.KillAsync();
            scenario.Fact(what);
            await Task.Delay(downtime);
            await scenario.RepairAsync(stack, victim.RestartAsync, check);
        }, chatter);
        await scenario.CheckAsync(stack, users);
    }

    /// <summary>
    /// Updates delivered twice and out of order, as Telegram may after a timeout: posted straight to the webhook
    /// (the emulator delivers in order), each twice, in reverse order, from several connections at once.
    /// </summary>
    private static async Task DuplicateAndReorderedDeliveriesAsync(Scenario scenario)
    {
        await using var stack = await StartStackAsync(processors: 1);
        var users = await scenario.UsersAsync(stack, 5, faces: false);
        using var webhook = new HttpClient { BaseAddress = stack.BotApiUrl };
        var updates = new List<(long UserId, long UpdateId)>();
        var firstId = 900_000_000L + Random.Shared.Next(1_000_000);
        foreach (var user in users.Ids)
        {
            for (var i = 0; i < 10; i++)
            {
                updates.Add((user, firstId + updates.Count));
            }
        }

        var deliveries = updates.Concat(updates).Reverse().ToList();
        var statuses = new ConcurrentBag<int>();
        await Parallel.ForEachAsync(deliveries, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (delivery, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/telegram/webhook")
            {
                Content = new StringContent(BalanceCommand(delivery.UserId, delivery.UpdateId), Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", LocalStack.WebhookSecret);
            using var response = await webhook.SendAsync(request, ct);
            statuses.Add((int)response.StatusCode);
        });
        scenario.Fact($"{updates.Count} updates delivered twice each, newest first: {deliveries.Count} requests, answers {string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{g.Count()}x {g.Key}"))}");
        if (statuses.Any(s => s != 200))
        {
            scenario.Fail("a delivery was not acknowledged with 200");
        }

        await scenario.QuiesceAsync(stack);
        foreach (var user in users.Ids)
        {
            var replies = (await users.Client.TranscriptAsync(user)).Count(m => m.FromBot && m.Text?.StartsWith("You have", StringComparison.Ordinal) == true);
            if (replies != 10)
            {
                scenario.Fail($"user {user} sent 10 distinct /balance updates (each delivered twice) and got {replies} answers");
            }
        }

        var stored = await Sql.ScalarAsync(stack, $"SELECT count(*) FROM inbox_updates WHERE UpdateId >= {firstId} AND UpdateId < {firstId + updates.Count} AND Status = 1");
        scenario.Fact($"{stored} of {updates.Count} distinct updates stored and handled once; each user got exactly 10 answers");
        if (stored != updates.Count)
        {
            scenario.Fail($"{updates.Count - stored} updates not stored and handled");
        }

        await scenario.CheckAsync(stack, users);
    }

    /// <summary>Telegram answers 429 (retry_after 2 s) and then 500 to the bot's messages and photos for a while.</summary>
    private static async Task TelegramErrorsAsync(Scenario scenario)
    {
        await using var stack = await StartStackAsync(processors: 1);
        var users = await scenario.UsersAsync(stack, 6);
        using var control = new HttpClient { BaseAddress = stack.EmulatorUrl };
        await scenario.WithLoadAsync(stack, users, TimeSpan.FromSeconds(30), async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(4));
            foreach (var method in new[] { "sendMessage", "sendPhoto" })
            {
                (await control.PostAsJsonAsync("/control/faults", new { method, statusCode = 429, count = 15, retryAfter = 2 })).EnsureSuccessStatusCode();
                (await control.PostAsJsonAsync("/control/faults", new { method, statusCode = 500, count = 15 })).EnsureSuccessStatusCode();
            }

            scenario.Fact("the next 15 sendMessage and 15 sendPhoto calls answered 429 (retry_after 2), the 15 after those 500");
            await Task.Delay(TimeSpan.FromSeconds(15));
            await scenario.RepairAsync(stack, async () => (await control.DeleteAsync("/control/faults")).EnsureSuccessStatusCode());
        });
        await scenario.CheckAsync(stack, users);
    }

    /// <summary>
    /// The backup folder is a 1 MB file system filled to the brim: snapshots fail, the health details say why, swaps go
    /// on, and once space is freed the next snapshot succeeds. Needs root (mount); skipped otherwise.
    /// </summary>
    private static async Task BackupDiskFullAsync(Scenario scenario)
    {
        var mountPoint = Path.Combine(Path.GetTempPath(), "faceswap-full-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(mountPoint);
        if (await RunAsync("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint) != 0)
        {
            scenario.Skip("cannot mount a small tmpfs here (needs root)");
            return;
        }

        try
        {
            var filler = Path.Combine(mountPoint, "filler");
            await FillAsync(filler);
            await using var stack = await StartStackAsync(processors: 1, new Dictionary<string, string>
            {
                ["Backups__Directory"] = mountPoint,
                ["Backups__Interval"] = "00:01:00", // the shortest allowed; the first snapshot is taken at start
            });
            var users = await scenario.UsersAsync(stack, 4);
            using var ops = new HttpClient { BaseAddress = stack.BotApiUrl };
            ops.DefaultRequestHeaders.Add("X-Ops-Key", OpsKey);
            await scenario.WithLoadAsync(stack, users, TimeSpan.FromSeconds(15), async () =>
            {
                var failed = await WaitForAsync(async () => (await BackupCheckAsync(ops)).Contains("lastError", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
                var details = await BackupCheckAsync(ops);
                scenario.Fact($"with the disk full, /health/details reports: {Shorten(details)}");
                if (!failed || !details.Contains("disk is full", StringComparison.OrdinalIgnoreCase) || !details.Contains("\"status\":\"Degraded\"", StringComparison.Ordinal))
                {
                    scenario.Fail("the failed snapshot is not reported as Degraded with its reason (disk full)");
                }

                using var readiness = await ops.GetAsync("/health");
                scenario.Fact($"readiness (/health) meanwhile: {(int)readiness.StatusCode}");
                if (!readiness.IsSuccessStatusCode)
                {
                    scenario.Fail("a full backup disk made the bot API unready; it still stores updates and must stay in service");
                }

                if (Directory.EnumerateFiles(mountPoint, "*.partial").Any())
                {
                    scenario.Fail("a partial snapshot was left behind");
                }
            });

            File.Delete(filler);
            scenario.Fact("space freed; the service retries a failed snapshot after 1 minute");
            var repaired = Stopwatch.StartNew();
            var recovered = await WaitForAsync(async () => (await BackupCheckAsync(ops)).Contains("\"lastSnapshot\":\"faceswap-", StringComparison.Ordinal), TimeSpan.FromSeconds(90));
            scenario.Fact(recovered ? $"next snapshot verified {repaired.Elapsed.TotalSeconds:F0} s after space was freed" : "no snapshot within 90 s of freeing space");
            if (!recovered)
            {
                scenario.Fail("backups did not recover after space was freed");
            }

            await scenario.CheckAsync(stack, users);
        }
        finally
        {
            await RunAsync("umount", mountPoint);
            Directory.Delete(mountPoint, recursive: true);
        }
    }

    /// <summary>50 users swap for the soak duration with 2 processors; one is SIGKILLed in the middle and started again.</summary>
    private static async Task SoakWithProcessorRestartAsync(Scenario scenario)
    {
        await using var stack = await StartStackAsync(processors: 2);
        var users = await scenario.UsersAsync(stack, 50);
        await scenario.WithLoadAsync(stack, users, scenario.SoakDuration, async () =>
        {
            await Task.Delay(scenario.SoakDuration / 2);
            await WaitForRunningJobAsync(stack);
            await stack.Processors[0].KillAsync();
            scenario.Fact($"processor-1 SIGKILLed at {scenario.SoakDuration.TotalSeconds / 2:F0} s, restarted 5 s later");
            await Task.Delay(TimeSpan.FromSeconds(5));
            await scenario.RepairAsync(stack, () => stack.Processors[0].RestartAsync(), "processors");
        });
        await scenario.CheckAsync(stack, users);
    }

    // ---- helpers ----

    /// <param name="processor">Settings for the processors on top of <see cref="ProcessorSettings"/>.</param>
    private static Task<LocalStack> StartStackAsync(int processors, IReadOnlyDictionary<string, string>? botApi = null,
        IReadOnlyDictionary<string, string>? processor = null, MemoryCap? botApiCap = null, MemoryCap? processorCap = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Ops__ApiKey"] = OpsKey,
            ["Swaps__FreeCredits"] = FreeCredits.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in botApi ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        var processorSettings = new Dictionary<string, string>(ProcessorSettings);
        foreach (var (key, value) in processor ?? new Dictionary<string, string>())
        {
            processorSettings[key] = value;
        }

        return LocalStack.StartAsync(processors, settings, processorSettings, botApiCap, processorCap);
    }

    private static async Task WaitForRunningJobAsync(LocalStack stack) =>
        // Job statuses are the bot API's JobStatus: 1 on the stream, 5 a processor started it.
        await WaitForAsync(async () => await Sql.ScalarAsync(stack, "SELECT count(*) FROM jobs WHERE Status IN (1, 5)") > 0, TimeSpan.FromSeconds(30));

    private static async Task<bool> WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // the service is down for the fault; keep asking
            }

            await Task.Delay(250);
        }

        return false;
    }

    private static async Task<string> BackupCheckAsync(HttpClient ops)
    {
        // 503 while any check (critical or not) is Unhealthy; the body is the report either way.
        using var response = await ops.GetAsync("/health/details");
        var details = await response.Content.ReadAsStringAsync();
        var start = details.IndexOf("\"backup\"", StringComparison.Ordinal);
        return start < 0 ? details : details[start..Math.Min(details.Length, start + 600)];
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "..." : text;

    private static async Task FillAsync(string path)
    {
        await using var file = File.Create(path);
        var chunk = new byte[64 * 1024];
        try
        {
            while (true)
            {
                await file.WriteAsync(chunk);
                await file.FlushAsync();
            }
        }
        catch (IOException)
        {
            // full
        }
    }

    private static async Task<int> RunAsync(string command, params string[] arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            await process.WaitForExitAsync();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }

    private static string BalanceCommand(long userId, long updateId) => string.Create(CultureInfo.InvariantCulture,
        $$$"""{"update_id":{{{updateId}}},"message":{"message_id":{{{updateId % 1_000_000_000}}},"date":{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}},"chat":{"id":{{{userId}}},"type":"private","first_name":"Load"},"from":{"id":{{{userId}}},"is_bot":false,"first_name":"Load","language_code":"en"},"text":"/balance","entities":[{"type":"bot_command","offset":0,"length":8}]}}""");

    private static class Sql
    {
        public static async Task<long> ScalarAsync(LocalStack stack, string sql)
        {
            await using var connection = new SqliteConnection($"Data Source={stack.DatabasePath};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
    }

    /// <summary>One fault's run: its users, what happened, and what went wrong.</summary>
    private sealed class Scenario(string name, TimeSpan soakDuration)
    {
        private readonly ConcurrentQueue<string> _problems = new();
        private readonly ConcurrentQueue<string> _facts = new();
        private readonly ConcurrentQueue<SwapOutcome> _outcomes = new();

        public string Name => name;
        public TimeSpan SoakDuration => soakDuration;
        public IReadOnlyCollection<string> Problems => _problems;
        public IReadOnlyCollection<string> Facts => _facts;
        /// <summary>Every swap the load made so far, as its user saw it.</summary>
        public IReadOnlyCollection<SwapOutcome> Outcomes => _outcomes;
        public string? Skipped { get; private set; }

        public void Fail(string problem) => _problems.Enqueue(problem);

        public void Fact(string fact) => _facts.Enqueue(fact);

        public void Skip(string why) => Skipped = why;

        public async Task<Users> UsersAsync(LocalStack stack, int count, bool faces = true)
        {
            var client = new SimulatedUsers(new HttpClient { BaseAddress = stack.EmulatorUrl, Timeout = TimeSpan.FromSeconds(30) });
            var ids = Enumerable.Range(1, count).Select(i => 700_000L + i).ToArray();
            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, cancellationToken) =>
            {
                if (faces)
                {
                    await client.PrepareAsync(id, BenchmarkImages.FacePhoto, TimeSpan.FromSeconds(60));
                }
                else
                {
                    await client.StartAsync(id, TimeSpan.FromSeconds(60));
                }
            });
            return new Users(client, ids);
        }

        /// <summary>
        /// Every user swaps back to back (and, with <paramref name="chatter"/>, sends a /balance between swaps) until
        /// <paramref name="duration"/> has passed, while <paramref name="fault"/> runs.
        /// </summary>
        public async Task WithLoadAsync(LocalStack stack, Users users, TimeSpan duration, Func<Task> fault, bool chatter = false)
        {
            var target = BenchmarkImages.TargetOf(0.5);
            var until = DateTime.UtcNow + duration;
            var load = Parallel.ForEachAsync(users.Ids, new ParallelOptions { MaxDegreeOfParallelism = users.Ids.Count }, async (user, _) =>
            {
                while (DateTime.UtcNow < until)
                {
                    var outcome = await users.Client.SwapAsync(user, target, SwapTimeout);
                    _outcomes.Enqueue(outcome);
                    users.Targets.AddOrUpdate(user, 1, (_, n) => n + 1);
                    if (chatter)
                    {
                        await users.Client.SendTextAsync(user, "/balance");
                    }
                }
            });
            await fault();
            await load;
            var delivered = _outcomes.Count(o => o.Delivered);
            var latencies = _outcomes.Where(o => o.Delivered).Select(o => o.LatencyMs).Order().ToArray();
            Fact(string.Create(CultureInfo.InvariantCulture,
                $"{_outcomes.Count} swaps by {users.Ids.Count} users in {duration.TotalSeconds:F0} s: {delivered} delivered, p50 {IntakeLoad.Percentile(latencies, 0.5):F0} ms, max {(latencies.Length > 0 ? latencies[^1] : 0):F0} ms"));
            foreach (var lost in _outcomes.Where(o => !o.Delivered).Take(5))
            {
                Fail($"user {lost.UserId}'s swap (message {lost.TargetMessageId}) was not delivered: {lost.Problem}");
            }
        }

        /// <summary>
        /// Runs the repair and measures how long until the bot API is ready (/health 200) and, if given, the health
        /// check the fault touched is Healthy again (Redis, processors and Telegram do not gate readiness).
        /// </summary>
        public async Task RepairAsync(LocalStack stack, Func<Task> repair, string? check = null)
        {
            var clock = Stopwatch.StartNew();
            await repair();
            try
            {
                await stack.WaitReadyAsync(RecoveryBound);
                if (check is not null && !await WaitForAsync(async () => await CheckStatusAsync(stack, check) == "Healthy", RecoveryBound - clock.Elapsed))
                {
                    Fail($"health check '{check}' not Healthy within {RecoveryBound.TotalSeconds:F0} s of the repair (it is {await CheckStatusAsync(stack, check)})");
                    return;
                }

                Fact($"ready{(check is null ? "" : $" and '{check}' Healthy")} {clock.Elapsed.TotalSeconds:F1} s after the repair began (bound: {RecoveryBound.TotalSeconds:F0} s)");
            }
            catch (TimeoutException)
            {
                Fail($"not ready within {RecoveryBound.TotalSeconds:F0} s of the repair");
            }
        }

        private static async Task<string?> CheckStatusAsync(LocalStack stack, string check)
        {
            using var ops = new HttpClient { BaseAddress = stack.BotApiUrl };
            ops.DefaultRequestHeaders.Add("X-Ops-Key", OpsKey);
            using var response = await ops.GetAsync("/health/details"); // 503 while any check is Unhealthy; the body says which
            var details = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            return details.GetProperty("entries").TryGetProperty(check, out var entry) ? entry.GetProperty("status").GetString() : null;
        }

        /// <summary>Waits until nothing is pending: every stored update handled, no job queued or running.</summary>
        public async Task QuiesceAsync(LocalStack stack)
        {
            using var emulator = new HttpClient { BaseAddress = stack.EmulatorUrl };
            var quiet = await WaitForAsync(async () =>
                (await emulator.GetFromJsonAsync<System.Text.Json.JsonElement>("/control/state")).GetProperty("pendingUpdates").GetInt32() == 0 &&
                await Sql.ScalarAsync(stack, "SELECT count(*) FROM inbox_updates WHERE Status = 0") == 0 &&
                await Sql.ScalarAsync(stack, "SELECT count(*) FROM jobs WHERE Status IN (0, 1, 5)") == 0, TimeSpan.FromSeconds(120)); // queued, on the stream, running
            if (!quiet)
            {
                Fail("updates (at Telegram or in the inbox) or jobs still pending 2 minutes after the load ended");
            }
        }

        /// <summary>The verdict's invariants, read from the database and the chats.</summary>
        /// <param name="floodsMayBeShed">A flooding chat's excess updates may be set aside (inbox status Shed) instead of handled.</param>
        public async Task CheckAsync(LocalStack stack, Users users, bool floodsMayBeShed = false)
        {
            await QuiesceAsync(stack);
            var sent = users.Client.SentUpdateIds.ToList();
            var missing = new List<long>();
            var shed = 0;
            foreach (var update in sent)
            {
                // Inbox statuses are the bot API's InboxStatus: 1 handled, 3 shed (set aside as part of a flood).
                var status = await Sql.ScalarAsync(stack, $"SELECT coalesce(max(Status), -1) FROM inbox_updates WHERE UpdateId = {update}");
                if (status == 3 && floodsMayBeShed)
                {
                    shed++;
                }
                else if (status != 1)
                {
                    missing.Add(update);
                }
            }

            Fact($"updates: {sent.Count} sent by the users, {sent.Count - missing.Count - shed} stored and handled{(shed > 0 ? $", {shed} stored and set aside as a flood" : "")}");
            if (missing.Count > 0)
            {
                Fail($"{missing.Count} updates lost or not handled: {string.Join(", ", missing.Take(10))}");
            }

            var doubles = 0;
            var creditErrors = 0;
            foreach (var user in users.Ids)
            {
                var results = (await users.Client.TranscriptAsync(user)).Count(m => m.IsSwapResult);
                var succeeded = await Sql.ScalarAsync(stack, $"SELECT count(*) FROM jobs WHERE UserId = {user} AND Status = 2");
                var targets = users.Targets.GetValueOrDefault(user);
                var balance = await Sql.ScalarAsync(stack, $"SELECT coalesce(sum(Amount), 0) FROM credit_ledger WHERE UserId = {user}");
                var spends = await Sql.ScalarAsync(stack, $"SELECT count(*) FROM credit_ledger WHERE UserId = {user} AND Kind = 2");
                var refunds = await Sql.ScalarAsync(stack, $"SELECT count(*) FROM credit_ledger WHERE UserId = {user} AND Kind = 3");
                var jobs = await Sql.ScalarAsync(stack, $"SELECT count(*) FROM jobs WHERE UserId = {user}");
                if (results != succeeded || results > targets)
                {
                    doubles++;
                    Fail($"user {user}: {targets} targets sent, {succeeded} jobs succeeded, {results} result photos in the chat");
                }

                if (balance != FreeCredits - succeeded || spends != jobs || refunds != jobs - succeeded)
                {
                    creditErrors++;
                    Fail($"user {user}: balance {balance}, expected {FreeCredits - succeeded} ({jobs} jobs, {succeeded} succeeded, {spends} spends, {refunds} refunds)");
                }
            }

            Fact($"swaps: every user's result photos = succeeded jobs ≤ targets sent ({(doubles == 0 ? "all users" : $"{doubles} users differ")}); " +
                $"credits: balance = {FreeCredits} − succeeded jobs, one spend per job, one refund per failed job ({(creditErrors == 0 ? "all users" : $"{creditErrors} users differ")})");
        }
    }

    private sealed record Users(SimulatedUsers Client, IReadOnlyList<long> Ids)
    {
        public ConcurrentDictionary<long, int> Targets { get; } = new();
    }
}
