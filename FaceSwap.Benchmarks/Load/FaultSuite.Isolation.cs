using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using FaceSwap.Contracts;
using SkiaSharp;
using StackExchange.Redis;

namespace FaceSwap.Benchmarks.Load;

/// <summary>
/// The isolation faults: one user who blocks the bot, one chat that floods, one job Redis lost, a burst of huge
/// uploads, a memory limit, a hosted job slower than the claim timeout. Each must stay that user's, chat's or job's
/// problem: everyone else is answered in time, and the one affected is answered or refunded once.
/// </summary>
public static partial class FaultSuite
{
    /// <summary>Other users' results must arrive within this while one user's chat refuses everything.</summary>
    private static readonly TimeSpan OthersResultBound = TimeSpan.FromSeconds(20);

    /// <summary>Another chat's answer must arrive within this while one chat floods the bot.</summary>
    private static readonly TimeSpan QuietChatAnswerBound = TimeSpan.FromSeconds(2);

    /// <summary>The sweeper's settings for lost-queue-entry (production defaults are longer; the names are the bot API's).</summary>
    private static readonly TimeSpan SweeperStuckAfter = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan SweeperInterval = TimeSpan.FromSeconds(5);

    /// <summary>How much a burst of eight huge uploads may raise the bot API's peak resident memory.</summary>
    private const double LargeUploadGrowthBoundMb = 300;

    /// <summary>Side of the huge uploads: 39.7 megapixels, just under the bot's 40 MP intake limit, 159 MB once decoded.</summary>
    private const int LargeUploadSide = 6300;

    /// <summary>The memory limit for memory-cap: Azure Container Apps' default for a 0.5-vCPU container is 1 GiB.</summary>
    private const long ContainerMemoryBytes = 1024L * 1024 * 1024;

    private static readonly Lazy<byte[]> LargeUpload = new(MakeLargeUpload);

    /// <summary>
    /// Five users swap for 30 s; a sixth blocks the bot while their result is on its way (its sendPhoto is held 3 s by
    /// the emulator, and the user blocks meanwhile, so it is answered 403 "bot was blocked by the user"). The others'
    /// results keep arriving within 20 s; the blocked user's credit is refunded; the bot stops calling the blocked chat.
    /// </summary>
    private static async Task UserBlocksBotAsync(Scenario scenario)
    {
        await using var stack = await StartStackAsync(processors: 1);
        var users = await scenario.UsersAsync(stack, 6);
        var blocked = users.Ids[0];
        var others = users with { Ids = [.. users.Ids.Skip(1)] };
        using var control = new HttpClient { BaseAddress = stack.EmulatorUrl };
        long blockedUpdate = 0;
        await scenario.WithLoadAsync(stack, others, TimeSpan.FromSeconds(30), async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            (await control.PostAsJsonAsync("/control/faults", new { method = "sendPhoto", chatId = blocked, delayMs = 3000 })).EnsureSuccessStatusCode();
            (_, blockedUpdate) = await users.Client.SendPhotoWithUpdateAsync(blocked, BenchmarkImages.TargetOf(0.5), "target.jpg");
            users.Targets.AddOrUpdate(blocked, 1, (_, n) => n + 1);
            var onItsWay = await WaitForAsync(async () => (await control.GetFromJsonAsync<JsonElement[]>("/control/faults"))!.Length == 0, TimeSpan.FromSeconds(60));
            await users.Client.BlockBotAsync(blocked);
            if (onItsWay)
            {
                scenario.Fact($"user {blocked} blocked the bot while their result's sendPhoto was on its way (held 3 s by the emulator): it got 403");
            }
            else
            {
                scenario.Fail($"user {blocked}'s result was not sent within 60 s, so the block did not happen mid-delivery");
            }
        });

        // A swap that never arrived counts as slower than any that did.
        var latencies = scenario.Outcomes.Select(o => o.Delivered ? o.LatencyMs : double.PositiveInfinity).Order().ToArray();
        var never = latencies.Count(double.IsPositiveInfinity);
        var slowest = latencies.Length > 0 ? latencies[^1] : double.NaN;
        scenario.Fact(string.Create(CultureInfo.InvariantCulture,
            $"the other 5 users' {latencies.Length} results: p50 {IntakeLoad.Percentile(latencies, 0.5):F0} ms, p95 {IntakeLoad.Percentile(latencies, 0.95):F0} ms, slowest {(never > 0 ? $"never ({never} not within {SwapTimeout.TotalSeconds:F0} s)" : $"{slowest:F0} ms")} (bound {OthersResultBound.TotalSeconds:F0} s)"));
        if (!(slowest <= OthersResultBound.TotalMilliseconds))
        {
            scenario.Fail(never > 0
                ? $"{never} of the other users' results never arrived while one user's chat refused the bot"
                : $"another user's result took {slowest / 1000:F1} s while one user's chat refused the bot (bound {OthersResultBound.TotalSeconds:F0} s)");
        }

        // All six: the blocked user's swap counts as not succeeded, so its credit must have come back too.
        await scenario.CheckAsync(stack, users);

        var job = JobIdFor(blockedUpdate);
        var refunds = await Sql.ScalarAsync(stack, $"SELECT count(*) FROM credit_ledger WHERE Reference = 'job:{job}:refund'");
        var spends = await Sql.ScalarAsync(stack, $"SELECT count(*) FROM credit_ledger WHERE Reference = 'job:{job}:spend'");
        var balance = await Sql.ScalarAsync(stack, $"SELECT coalesce(sum(Amount), 0) FROM credit_ledger WHERE UserId = {blocked}");
        scenario.Fact($"blocked user's job {job}: {spends} spend, {refunds} refund, balance {balance} of {FreeCredits}");
        if (spends != 1 || refunds != 1 || balance != FreeCredits)
        {
            scenario.Fail($"the blocked user's undeliverable swap was not refunded once ({spends} spends, {refunds} refunds, balance {balance})");
        }

        await CheckGivesUpAsync(scenario, stack, users.Client, blocked);
    }

    /// <summary>
    /// The bot has stopped trying a chat that refuses it: the emulator's count of refused calls stands still for 15 s
    /// and no result waits unacknowledged in the bot API's consumer group.
    /// </summary>
    private static async Task CheckGivesUpAsync(Scenario scenario, LocalStack stack, SimulatedUsers client, long userId)
    {
        var first = await client.ChatAsync(userId);
        await Task.Delay(TimeSpan.FromSeconds(15));
        var later = await client.ChatAsync(userId);
        using var redis = await ConnectionMultiplexer.ConnectAsync(stack.RedisConnection);
        var pending = await redis.GetDatabase().StreamPendingAsync(QueueNames.Results, QueueNames.BotApiGroup);
        scenario.Fact($"chat {userId} ({later.State}): {later.RefusedCalls} bot calls refused in all, {later.RefusedCalls - first.RefusedCalls} in the last 15 s; results pending in group '{QueueNames.BotApiGroup}': {pending.PendingMessageCount}");
        if (later.RefusedCalls != first.RefusedCalls)
        {
            scenario.Fail($"the bot kept calling the blocked chat ({later.RefusedCalls - first.RefusedCalls} refused calls in 15 s after everything settled)");
        }

        if (pending.PendingMessageCount > 0)
        {
            scenario.Fail($"{pending.PendingMessageCount} results still unacknowledged: an undeliverable result is being retried");
        }
    }

    /// <summary>
    /// One chat sends 100 /balance commands as fast as the emulator takes them; meanwhile another chat asks /balance five
    /// times, a second apart. Each of those answers must arrive within 2 s (the emulator's own clock, message to answer).
    /// </summary>
    private static async Task ChattyChatAsync(Scenario scenario)
    {
        await using var stack = await StartStackAsync(processors: 1);
        var users = await scenario.UsersAsync(stack, 2, faces: false);
        var (chatty, quiet) = (users.Ids[0], users.Ids[1]);
        var flooding = Stopwatch.StartNew();
        var flood = Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await users.Client.SendTextAsync(chatty, "/balance");
            }

            return flooding.Elapsed;
        });

        await Task.Delay(TimeSpan.FromMilliseconds(200));
        var answers = new List<double>();
        for (var probe = 0; probe < 5; probe++)
        {
            var asked = await users.Client.SendTextAsync(quiet, "/balance");
            var answer = await users.Client.WaitForBotMessageAsync(quiet, asked, _ => true, TimeSpan.FromSeconds(30));
            var question = (await users.Client.TranscriptAsync(quiet)).Single(m => m.MessageId == asked);
            answers.Add(answer is null ? double.PositiveInfinity : (answer.At - question.At).TotalMilliseconds);
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        var floodTime = await flood;
        var chattyAnswered = (await users.Client.TranscriptAsync(chatty)).Count(m => m.FromBot && m.Text?.StartsWith("You have", StringComparison.Ordinal) == true);
        scenario.Fact(string.Create(CultureInfo.InvariantCulture,
            $"chat {chatty} sent 100 /balance in {floodTime.TotalMilliseconds:F0} ms; {chattyAnswered} answers to them had arrived when the probes ended"));
        scenario.Fact(string.Create(CultureInfo.InvariantCulture,
            $"chat {quiet}'s /balance answered in {string.Join(", ", answers.Select(a => double.IsInfinity(a) ? "never" : $"{a:F0}"))} ms (median {answers.Order().ElementAt(2):F0}, bound {QuietChatAnswerBound.TotalMilliseconds:F0} ms)"));
        if (answers.Any(a => a > QuietChatAnswerBound.TotalMilliseconds))
        {
            scenario.Fail($"another chat waited up to {answers.Max() / 1000:F1} s for an answer behind the chatty chat (bound {QuietChatAnswerBound.TotalSeconds:F0} s)");
        }

        var firstOfFlood = (await users.Client.TranscriptAsync(chatty)).Where(m => !m.FromBot).Skip(1).First(); // after /start
        // The bot may set a flood's excess aside (stored, not answered): it is the chatty chat's loss, not the others'.
        await scenario.CheckAsync(stack, users, floodsMayBeShed: true);
        var chattyAnswers = (await users.Client.TranscriptAsync(chatty)).Where(m => m.FromBot && m.MessageId > firstOfFlood.MessageId).ToList();
        scenario.Fact(string.Create(CultureInfo.InvariantCulture,
            $"the chatty chat got {chattyAnswers.Count} bot messages for its 100 /balance, the last {(chattyAnswers.Count > 0 ? (chattyAnswers[^1].At - firstOfFlood.At).TotalSeconds : double.NaN):F0} s after its first (Telegram allows a chat about 1 message/s after a burst of 20)"));
        if (chattyAnswers.Count == 0)
        {
            scenario.Fail("the chatty chat got no answer at all");
        }
    }

    /// <summary>
    /// Redis loses a dispatched job: with no processor reading, the job's entry is XDELed from faceswap:jobs once the
    /// bot API has marked it dispatched; then the processor starts again. The sweeper must give the user the result or
    /// their credit back within StuckAfter + 2 x Interval, and the user can swap again afterwards.
    /// </summary>
    private static async Task LostQueueEntryAsync(Scenario scenario)
    {
        await using var stack = await StartStackAsync(processors: 1, new Dictionary<string, string>
        {
            ["Jobs__Sweeper__StuckAfter"] = SweeperStuckAfter.ToString("c", CultureInfo.InvariantCulture),
            ["Jobs__Sweeper__Interval"] = SweeperInterval.ToString("c", CultureInfo.InvariantCulture),
        });
        var users = await scenario.UsersAsync(stack, 1);
        var user = users.Ids[0];
        var target = BenchmarkImages.TargetOf(0.5);

        // Killed, not paused: a paused consumer's blocking XREADGROUP would still be served by Redis, and the entry
        // would be in its pending list rather than lost.
        await stack.Processors[0].KillAsync();
        var (sent, update) = await users.Client.SendPhotoWithUpdateAsync(user, target, "target.jpg");
        users.Targets.AddOrUpdate(user, 1, (_, n) => n + 1);
        var job = JobIdFor(update);
        // Status 1 is the bot API's JobStatus.Dispatched: the entry is on the stream.
        if (!await WaitForAsync(async () => await Sql.ScalarAsync(stack, $"SELECT count(*) FROM jobs WHERE Id = '{job}' AND Status = 1") == 1, TimeSpan.FromSeconds(60)))
        {
            scenario.Fail($"job {job} was not dispatched within 60 s");
            return;
        }

        using (var redis = await ConnectionMultiplexer.ConnectAsync(stack.RedisConnection))
        {
            var database = redis.GetDatabase();
            var entries = await database.StreamRangeAsync(QueueNames.Jobs);
            var lost = entries.Where(e => e[FaceSwap.Messaging.StreamPublisher.KeyField] == job).Select(e => e.Id).ToArray();
            var deleted = lost.Length == 0 ? 0 : await database.StreamDeleteAsync(QueueNames.Jobs, lost);
            scenario.Fact($"job {job} dispatched with no processor running; {deleted} entry for it XDELed from {QueueNames.Jobs} ({entries.Length} on the stream); processor started again");
            if (deleted != 1)
            {
                scenario.Fail($"expected one stream entry for job {job}, found {lost.Length}");
                return;
            }
        }

        var sinceLoss = Stopwatch.StartNew();
        await stack.Processors[0].RestartAsync();
        var bound = SweeperStuckAfter + (2 * SweeperInterval);
        var outcome = await users.Client.WaitForBotMessageAsync(user, sent, m => m.IsSwapResult || m.IsSwapFailure, bound + TimeSpan.FromSeconds(60));
        var took = sinceLoss.Elapsed;
        var refunded = await Sql.ScalarAsync(stack, $"SELECT count(*) FROM credit_ledger WHERE Reference = 'job:{job}:refund'");
        scenario.Fact(outcome is null
            ? $"no result and no refund message {took.TotalSeconds:F0} s after the loss"
            : $"{(outcome.IsSwapResult ? "the result arrived" : "the swap failed and was refunded")} {took.TotalSeconds:F1} s after the loss (bound: StuckAfter {SweeperStuckAfter.TotalSeconds:F0} s + 2 x Interval {SweeperInterval.TotalSeconds:F0} s = {bound.TotalSeconds:F0} s); refund entries: {refunded}");
        if (outcome is null || took > bound)
        {
            scenario.Fail($"the lost job was neither delivered nor refunded within {bound.TotalSeconds:F0} s");
        }
        else if (outcome.IsSwapFailure && refunded != 1)
        {
            scenario.Fail($"the user was told the swap failed but {refunded} refunds were booked");
        }

        var again = await users.Client.SwapAsync(user, target, SwapTimeout);
        users.Targets.AddOrUpdate(user, 1, (_, n) => n + 1);
        var lastWord = (await users.Client.TranscriptAsync(user)).LastOrDefault(m => m.FromBot)?.Text;
        scenario.Fact(again.Delivered ? $"the next swap was delivered in {again.LatencyMs:F0} ms" : $"the next swap failed: {again.Problem}; the bot's last message: {lastWord}");
        if (!again.Delivered)
        {
            scenario.Fail($"the user could not swap again after the lost job: {again.Problem}");
        }

        await scenario.CheckAsync(stack, users);
    }

    /// <summary>
    /// Eight users send a 6300x6300 PNG as a file at once (a smooth gradient: about 0.15 MB on the wire, 159 MB decoded).
    /// Every user is answered, and the bot API's peak resident memory (VmHWM) rises by less than 300 MB.
    /// </summary>
    private static async Task LargeUploadsAsync(Scenario scenario)
    {
        await using var stack = await StartStackAsync(processors: 1);
        var users = await scenario.UsersAsync(stack, 8);
        var before = stack.BotApi.Memory();
        var processorBefore = stack.Processors[0].Memory();
        await LargeUploadBurstAsync(scenario, stack, users);
        var after = stack.BotApi.Memory();
        var processorAfter = stack.Processors[0].Memory();
        var growth = after.PeakMb - before.PeakMb;
        scenario.Fact(string.Create(CultureInfo.InvariantCulture,
            $"bot API peak RSS (VmHWM) {before.PeakMb:F0} MB before the burst, {after.PeakMb:F0} MB after: +{growth:F0} MB (bound +{LargeUploadGrowthBoundMb:F0} MB); RSS now {after.CurrentMb:F0} MB; processor peak {processorBefore.PeakMb:F0} -> {processorAfter.PeakMb:F0} MB"));
        if (growth >= LargeUploadGrowthBoundMb)
        {
            scenario.Fail($"eight large uploads raised the bot API's peak memory by {growth:F0} MB (bound {LargeUploadGrowthBoundMb:F0} MB)");
        }

        await scenario.CheckAsync(stack, users);
    }

    /// <summary>
    /// The bot API and the processor each run in a memory cgroup of 1 GiB (a container's limit; <see cref="MemoryCap"/>)
    /// while eight users send the 6300x6300 upload twice, in two bursts. Neither process may be killed, and everyone is
    /// answered. Skipped where no memory cgroup can be made (not root, or no cgroup file system).
    /// </summary>
    private static async Task MemoryCapAsync(Scenario scenario)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        using var botApiCap = MemoryCap.TryCreate("faceswap-botapi-" + suffix, ContainerMemoryBytes, out var whyNot);
        using var processorCap = botApiCap is null ? null : MemoryCap.TryCreate("faceswap-processor-" + suffix, ContainerMemoryBytes, out whyNot);
        if (botApiCap is null || processorCap is null)
        {
            scenario.Skip(whyNot ?? "no memory cgroup");
            return;
        }

        await using var stack = await StartStackAsync(processors: 1, botApiCap: botApiCap, processorCap: processorCap);
        scenario.Fact($"bot API and processor each in a memory cgroup limited to {ContainerMemoryBytes / 1024 / 1024} MiB ({botApiCap.Directory}), joined before the runtime starts");
        var users = await scenario.UsersAsync(stack, 8);
        for (var burst = 1; burst <= 2 && !stack.BotApi.HasExited; burst++)
        {
            await LargeUploadBurstAsync(scenario, stack, users);
        }

        var (botApiMemory, processorMemory) = (stack.BotApi.HasExited ? default : stack.BotApi.Memory(), stack.Processors[0].HasExited ? default : stack.Processors[0].Memory());
        scenario.Fact(string.Create(CultureInfo.InvariantCulture,
            $"OOM kills: bot API cgroup {botApiCap.OomKills}, processor cgroup {processorCap.OomKills}; cgroup peaks {Mb(botApiCap.PeakBytes)} and {Mb(processorCap.PeakBytes)} MB (page cache included); process peaks (VmHWM) {botApiMemory.PeakMb:F0} and {processorMemory.PeakMb:F0} MB"));
        if (stack.BotApi.HasExited || stack.Processors[0].HasExited || botApiCap.OomKills > 0 || processorCap.OomKills > 0)
        {
            scenario.Fail($"a process was killed under the memory limit (bot API exited: {stack.BotApi.HasExited}, processor exited: {stack.Processors[0].HasExited}, OOM kills {botApiCap.OomKills} + {processorCap.OomKills})");
            return;
        }

        await scenario.CheckAsync(stack, users);
    }

    /// <summary>
    /// The hosted engine (FaceSwap:Engine=magicapi) against <see cref="HostedEngineFake"/>, whose jobs take 25 s, with two
    /// processors that take over a silent consumer's jobs after 10 s (Processor:VisibilityTimeout). Three users swap at
    /// once; each job must be submitted to the hosted service exactly once and each result delivered once.
    /// </summary>
    private static async Task SlowHostedJobAsync(Scenario scenario)
    {
        await using var hosted = await HostedEngineFake.StartAsync(TimeSpan.FromSeconds(25));
        await using var stack = await StartStackAsync(processors: 2, processor: new Dictionary<string, string>
        {
            ["FaceSwap__Engine"] = "magicapi",
            ["MagicApi__Key"] = HostedEngineFake.Key,
            ["MagicApi__BaseUrl"] = hosted.ApiBase.AbsoluteUri,
            ["MagicApi__PollInterval"] = "00:00:01",
        });
        var users = await scenario.UsersAsync(stack, 3);
        var target = BenchmarkImages.TargetOf(0.5);
        var outcomes = await Task.WhenAll(users.Ids.Select(async user =>
        {
            var outcome = await users.Client.SwapAsync(user, target, SwapTimeout);
            users.Targets.AddOrUpdate(user, 1, (_, n) => n + 1);
            return outcome;
        }));

        scenario.Fact(string.Create(CultureInfo.InvariantCulture,
            $"hosted jobs take {hosted.JobDuration.TotalSeconds:F0} s, the claim timeout is {ProcessorSettings["Processor__VisibilityTimeout"]}; swaps: {string.Join(", ", outcomes.Select(o => o.Delivered ? $"{o.LatencyMs / 1000:F1} s" : "not delivered"))}"));
        var submits = hosted.SubmitsPerTarget.Values.Order().ToArray();
        scenario.Fact($"submits to the hosted service per job: {(submits.Length == 0 ? "none" : string.Join(", ", submits))} ({submits.Length} jobs)");
        foreach (var lost in outcomes.Where(o => !o.Delivered))
        {
            scenario.Fail($"user {lost.UserId}'s hosted swap was not delivered: {lost.Problem}");
        }

        if (submits.Length != users.Ids.Count || submits.Any(n => n != 1))
        {
            scenario.Fail($"each of {users.Ids.Count} jobs must be submitted once; submits per job: {string.Join(", ", submits)}");
        }

        foreach (var problem in hosted.Problems.Take(3))
        {
            scenario.Fail($"hosted service: {problem}");
        }

        await scenario.CheckAsync(stack, users);
    }

    /// <summary>Each user sends <see cref="LargeUpload"/> as a file, all at once, and waits for the bot's outcome (result, or why not).</summary>
    private static async Task LargeUploadBurstAsync(Scenario scenario, LocalStack stack, Users users)
    {
        var image = LargeUpload.Value;
        var clock = Stopwatch.StartNew();
        var answers = await Task.WhenAll(users.Ids.Select(async user =>
        {
            var (sent, _) = await users.Client.SendPhotoWithUpdateAsync(user, image, "large.png", asDocument: true);
            users.Targets.AddOrUpdate(user, 1, (_, n) => n + 1);
            var outcome = await users.Client.WaitForOutcomeAsync(user, sent, SwapTimeout);
            return (User: user, Outcome: outcome, Seconds: clock.Elapsed.TotalSeconds);
        }));

        var answered = answers.Where(a => a.Outcome is not null).ToArray();
        var kinds = answered.GroupBy(a => a.Outcome!.IsSwapResult ? "result photo" : Shorten((a.Outcome!.Text ?? "?").ReplaceLineEndings(" ")))
            .Select(g => $"{g.Count()}x {g.Key}");
        var last = answered.Length == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $", the last after {answered.Max(a => a.Seconds):F1} s ({string.Join("; ", kinds)})");
        scenario.Fact($"{users.Ids.Count} users sent a {LargeUploadSide}x{LargeUploadSide} PNG of {image.Length / 1024} KB as a file at once: {answered.Length} answered{last}");
        foreach (var silent in answers.Where(a => a.Outcome is null))
        {
            scenario.Fail($"user {silent.User} got no answer to the large upload within {SwapTimeout.TotalSeconds:F0} s{(stack.BotApi.HasExited ? " (the bot API has exited)" : "")}");
        }
    }

    /// <summary>
    /// A smooth left-to-right gradient, drawn pixel by pixel (a gradient shader's dithering would add noise): about 0.15 MB
    /// on the wire, while it decodes to width x height x 4 bytes, as a decompression bomb does.
    /// </summary>
    private static byte[] MakeLargeUpload()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(LargeUploadSide, LargeUploadSide, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var pixels = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(bitmap.GetPixelSpan());
        var first = pixels[..LargeUploadSide];
        for (var x = 0; x < LargeUploadSide; x++)
        {
            uint red = (uint)(40 + (x * 190 / LargeUploadSide)), green = (uint)(90 + (x * 110 / LargeUploadSide)), blue = (uint)(160 - (x * 40 / LargeUploadSide));
            first[x] = 0xFF000000u | (blue << 16) | (green << 8) | red; // RGBA8888, little-endian
        }

        // Every row the same: PNG's "up" filter turns all but the first into zeros, which deflate shrinks about 1000 to 1.
        for (var y = 1; y < LargeUploadSide; y++)
        {
            first.CopyTo(pixels.Slice(y * LargeUploadSide, LargeUploadSide));
        }

        using var encoded = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return encoded.ToArray();
    }

    /// <summary>The job a target photo's update makes, named as the bot API names it (JobQueue.JobIdFor).</summary>
    private static string JobIdFor(long updateId) => "update-" + updateId.ToString(CultureInfo.InvariantCulture);

    private static string Mb(long? bytes) => bytes is { } b ? (b / 1024 / 1024).ToString(CultureInfo.InvariantCulture) : "?";
}
