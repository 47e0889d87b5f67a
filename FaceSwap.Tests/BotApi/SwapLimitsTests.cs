using FaceSwap.Tests.Engine;
using FaceSwap.Tests.EndToEnd;
using FaceSwap.Tests.Support;

namespace FaceSwap.Tests.BotApi;

/// <summary>Per-user limits, with the bot API on its own (no processor: jobs stay queued).</summary>
public sealed class SwapLimitsTests
{
    [Fact]
    public async Task A_second_swap_while_one_runs_is_answered_and_costs_nothing()
    {
        await using var host = await BotApiHost.StartAsync();
        var users = new EmulatorClient(host.Emulator.Http);
        const long userId = 6001;
        await users.AskAsync(userId, "/start", TimeSpan.FromSeconds(30));
        await users.AcceptTermsAsync(userId);
        await users.SendPhotoAsync(userId, TestImages.GraceHopper, "face.jpg");
        await users.SendPhotoAsync(userId, TestImages.Astronaut, "target1.png");
        await users.SendPhotoAsync(userId, TestImages.Astronaut, "target2.png");

        var busy = await users.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.StartsWith("A swap is already running") == true, TimeSpan.FromSeconds(30));

        Assert.NotEqual(default, busy);
        Assert.Equal("You have 2 credits.", EmulatorClient.Text(await users.AskAsync(userId, "/balance", TimeSpan.FromSeconds(30))));
        Assert.Equal(1, await host.WithDatabaseAsync(db => Task.FromResult(db.Jobs.Count(j => j.UserId == userId))));
    }

    [Fact]
    public async Task The_hourly_limit_is_answered_not_silently_dropped()
    {
        await using var host = await BotApiHost.StartAsync(new Dictionary<string, string?> { ["Swaps:MaxPerHour"] = "1" });
        var users = new EmulatorClient(host.Emulator.Http);
        const long userId = 6002;
        await users.AskAsync(userId, "/start", TimeSpan.FromSeconds(30));
        await users.AcceptTermsAsync(userId);
        await users.SendPhotoAsync(userId, TestImages.GraceHopper, "face.jpg");
        await users.SendPhotoAsync(userId, TestImages.Astronaut, "target1.png");
        await users.SendPhotoAsync(userId, TestImages.Astronaut, "target2.png");

        var limit = await users.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.StartsWith("You have reached the limit of 1 swaps an hour") == true, TimeSpan.FromSeconds(30));

        Assert.NotEqual(default, limit);
        Assert.Equal(1, await host.WithDatabaseAsync(db => Task.FromResult(db.Jobs.Count(j => j.UserId == userId))));
    }
}
