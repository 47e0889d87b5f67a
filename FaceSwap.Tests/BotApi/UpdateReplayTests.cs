using System.Net.Http.Json;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Jobs;
using FaceSwap.Tests.EndToEnd;
using FaceSwap.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace FaceSwap.Tests.BotApi;

/// <summary>
/// An update whose handling committed but whose "handled" mark did not (the process died in between) is handled
/// again at the next start. Doing it again must not pay for a second swap, nor say again what was said.
/// </summary>
public sealed class UpdateReplayTests
{
    private static readonly TimeSpan Reply = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_target_photo_handled_twice_makes_one_job_and_spends_one_credit()
    {
        await using var host = await BotApiHost.StartAsync();
        var users = new EmulatorClient(host.Emulator.Http);
        const long userId = 6101;
        await users.QueueSwapAsync(userId, Reply);
        var targetUpdate = await host.WithDatabaseAsync(db => db.InboxUpdates.Where(u => u.ChatId == userId).MaxAsync(u => u.UpdateId));
        await host.WaitUntilAsync(db => db.InboxUpdates.AnyAsync(u => u.UpdateId == targetUpdate && u.Status == InboxStatus.Handled));
        var messagesBefore = (await users.BotMessagesAsync(userId)).Count;

        // As after a crash between the job's commit and the mark: the update is pending again.
        await host.WithDatabaseAsync(db => db.InboxUpdates.Where(u => u.UpdateId == targetUpdate)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.Status, InboxStatus.Pending)));
        await host.WaitUntilAsync(db => db.InboxUpdates.AnyAsync(u => u.UpdateId == targetUpdate && u.Status == InboxStatus.Handled));

        var jobs = await host.WithDatabaseAsync(db => db.Jobs.Where(j => j.UserId == userId).Select(j => j.Id).ToListAsync());
        Assert.Equal([JobQueue.JobIdFor(targetUpdate)], jobs);
        Assert.Equal(1, await host.WithDatabaseAsync(db => db.CreditLedger.CountAsync(e => e.UserId == userId && e.Amount < 0)));
        Assert.Equal(messagesBefore, (await users.BotMessagesAsync(userId)).Count); // no "already running", no second "queued"
        Assert.Equal("You have 2 credits.", EmulatorClient.Text(await users.AskAsync(userId, "/balance", Reply)));
    }

    [Fact]
    public async Task A_reply_sent_before_the_update_was_marked_handled_is_not_sent_again()
    {
        await using var host = await BotApiHost.StartAsync();
        var users = new EmulatorClient(host.Emulator.Http);
        const long userId = 6102;
        Assert.StartsWith("How it works", EmulatorClient.Text(await users.AskAsync(userId, "/help", Reply)), StringComparison.Ordinal);
        var help = await host.WithDatabaseAsync(db => db.InboxUpdates.Where(u => u.ChatId == userId).MaxAsync(u => u.UpdateId));
        await host.WaitUntilHandledAsync(help);

        // As after a kill between the reply and the mark: the update is pending again, and handled again.
        await host.WithDatabaseAsync(db => db.InboxUpdates.Where(u => u.UpdateId == help)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.Status, InboxStatus.Pending)));
        await host.WaitUntilAsync(db => db.InboxUpdates.AnyAsync(u => u.UpdateId == help && u.Status == InboxStatus.Handled && u.Attempts == 2));

        var reply = Assert.Single(await users.BotMessagesAsync(userId));
        Assert.StartsWith("How it works", EmulatorClient.Text(reply), StringComparison.Ordinal);
        var recorded = Assert.Single(await host.WithDatabaseAsync(db => db.SentReplies.Where(r => r.UpdateId == help).ToListAsync()));
        Assert.Equal((userId, 0, EmulatorClient.MessageId(reply)), (recorded.ChatId, recorded.Sequence, (long)recorded.MessageId));
    }

    [Fact]
    public async Task A_report_cut_off_after_its_first_message_sends_only_the_rest_when_handled_again()
    {
        const long operatorId = 6199;
        const long userId = 6103;
        await using var host = await BotApiHost.StartAsync(new Dictionary<string, string?> { ["Ops:AlertChatId"] = operatorId.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var users = new EmulatorClient(host.Emulator.Http);
        await users.AskAsync(operatorId, "/start", Reply); // the operators' chat exists
        await users.QueueSwapAsync(userId, Reply);
        // No processor here: the job is marked done as if its result had come back, so /report has it to report.
        await host.WaitUntilAsync(db => db.Jobs.AnyAsync(j => j.UserId == userId && j.StatusMessageId != null));
        var jobId = await host.WithDatabaseAsync(db => db.Jobs.Where(j => j.UserId == userId).Select(j => j.Id).SingleAsync());
        await host.WithDatabaseAsync(db => db.Jobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Succeeded)));

        // The report's first message (the summary) reaches the operators; its second, the face photo, fails: the
        // attempt dies there, and the update is handled again.
        (await host.Emulator.Http.PostAsJsonAsync("/control/faults", new { method = "sendPhoto", statusCode = 502, count = 1, chatId = operatorId }))
            .EnsureSuccessStatusCode();
        var target = await host.WithDatabaseAsync(db => db.InboxUpdates.Where(u => u.ChatId == userId).MaxAsync(u => u.UpdateId));
        await users.SendTextAsync(userId, "/report");
        await host.WaitUntilAsync(db => db.InboxUpdates.AnyAsync(u => u.ChatId == userId && u.UpdateId > target && u.Status == InboxStatus.Handled),
            TimeSpan.FromSeconds(60), "the report to be handled");
        var report = await host.WithDatabaseAsync(db => db.InboxUpdates.Where(u => u.ChatId == userId).MaxAsync(u => u.UpdateId));

        var told = (await users.BotMessagesAsync(operatorId)).Select(m => BotApiHost.TextOf(m)).Where(t => t.Contains(jobId, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, await host.WithDatabaseAsync(db => db.InboxUpdates.Where(u => u.UpdateId == report).Select(u => u.Attempts).SingleAsync()));
        Assert.Collection(told,
            summary => Assert.StartsWith($"Report: job {jobId}", summary, StringComparison.Ordinal),
            face => Assert.Equal($"face of job {jobId}", face),
            target => Assert.Equal($"target of job {jobId}", target),
            result => Assert.Equal($"result of job {jobId}: no longer stored", result));
        Assert.Single(await users.BotMessagesAsync(userId), m => EmulatorClient.Text(m)?.StartsWith("Thank you: your report went", StringComparison.Ordinal) == true);
    }
}
