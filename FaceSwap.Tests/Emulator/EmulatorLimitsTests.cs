using System.Net.Http.Json;
using Telegram.Bot;
using Telegram.Bot.Exceptions;

namespace FaceSwap.Tests.Emulator;

public sealed class EmulatorLimitsTests
{
    [Fact]
    public async Task Flooding_a_chat_gets_429_with_retry_after()
    {
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();
        await host.UserSaysAsync(9101, "hi");

        // The default bucket holds 20 and refills at 1/s; a slow machine may earn a token or two meanwhile.
        var sent = 0;
        ApiRequestException? ex = null;
        while (ex is null && sent < 60)
        {
            try
            {
                await bot.SendMessage(9101, $"burst {sent}");
                sent++;
            }
            catch (ApiRequestException e)
            {
                ex = e;
            }
        }

        Assert.NotNull(ex);
        Assert.InRange(sent, 20, 40);
        Assert.Equal(429, ex.ErrorCode);
        Assert.True(ex.Parameters?.RetryAfter >= 1);
        Assert.Equal($"Too Many Requests: retry after {ex.Parameters!.RetryAfter}", ex.Message);

        // Reading methods are not throttled.
        await bot.GetMe();
    }

    [Fact]
    public async Task Other_chats_are_not_throttled_by_one_busy_chat_but_the_bot_wide_limit_applies()
    {
        await using var host = EmulatorHost.Start(new Dictionary<string, string>
        {
            // Slow refills so the test does not depend on how fast the machine is.
            ["Emulator:PerChatBurst"] = "2",
            ["Emulator:PerChatMessagesPerSecond"] = "0.01",
            ["Emulator:GlobalBurst"] = "4",
            ["Emulator:GlobalMessagesPerSecond"] = "0.01",
        });
        var bot = host.Bot();
        await host.UserSaysAsync(9102, "hi");
        await host.UserSaysAsync(9103, "hi");
        await host.UserSaysAsync(9104, "hi");

        await bot.SendMessage(9102, "a");
        await bot.SendMessage(9102, "b");
        await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(9102, "c"));
        await bot.SendMessage(9103, "a");
        await bot.SendMessage(9103, "b");

        var global = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(9104, "a"));
        Assert.Equal(429, global.ErrorCode);
        Assert.InRange(global.Parameters!.RetryAfter!.Value, 90, 100); // about one token at 0.01/s
    }

    [Fact]
    public async Task Injected_faults_fail_the_next_matching_calls_only()
    {
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();
        await host.UserSaysAsync(9105, "hi");
        (await host.Http.PostAsJsonAsync("/control/faults", new { method = "sendMessage", statusCode = 500, count = 2 })).EnsureSuccessStatusCode();

        await bot.GetMe(); // other methods unaffected
        Assert.Equal(500, (await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(9105, "x"))).ErrorCode);
        Assert.Equal(500, (await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(9105, "x"))).ErrorCode);
        await bot.SendMessage(9105, "x");

        (await host.Http.PostAsJsonAsync("/control/faults", new { statusCode = 429, count = 1, retryAfter = 7 })).EnsureSuccessStatusCode();
        var limited = await Assert.ThrowsAsync<ApiRequestException>(() => bot.GetMe());
        Assert.Equal(7, limited.Parameters!.RetryAfter);

        (await host.Http.PostAsJsonAsync("/control/faults", new { statusCode = 500, count = 5 })).EnsureSuccessStatusCode();
        (await host.Http.DeleteAsync("/control/faults")).EnsureSuccessStatusCode();
        await bot.GetMe();
    }
}
