using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Jobs;
using FaceSwap.Tests.Engine;
using FaceSwap.Tests.EndToEnd;
using FaceSwap.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace FaceSwap.Tests.BotApi;

/// <summary>
/// An update whose handling committed but whose "handled" mark did not (the process died in between) is handled
/// again at the next start. Doing it again must not pay for a second swap.
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
        await users.AskAsync(userId, "/start", Reply);
        await users.AcceptTermsAsync(userId);
        await users.SendPhotoAsync(userId, TestImages.GraceHopper, "face.jpg");
        await users.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.StartsWith("Got the face") == true, Reply);
        await users.SendPhotoAsync(userId, TestImages.Astronaut, "target.png");
        await users.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.Contains("Queued", StringComparison.Ordinal) == true, Reply);
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
}
