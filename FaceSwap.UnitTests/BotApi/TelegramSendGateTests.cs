using FaceSwap.BotApi.Telegram;

namespace FaceSwap.Tests.BotApi;

public sealed class TelegramSendGateTests
{
    [Fact]
    public async Task A_chat_gets_a_short_burst_then_waits_while_other_chats_go_on()
    {
        await using var gate = new TelegramSendGate(Microsoft.Extensions.Options.Options.Create(new TelegramOptions()));
        for (var i = 0; i < 5; i++)
        {
            Assert.True(gate.WaitAsync(1, CancellationToken.None).IsCompletedSuccessfully, $"message {i + 1} of the burst should go at once");
        }

        var sixth = gate.WaitAsync(1, CancellationToken.None);
        var otherChat = gate.WaitAsync(2, CancellationToken.None);

        Assert.False(sixth.IsCompleted, "the sixth message to the same chat must wait for the per-chat rate");
        Assert.True(otherChat.IsCompletedSuccessfully, "another chat is not held back");
        await sixth.WaitAsync(TimeSpan.FromSeconds(5)); // and it does go, about a second later
    }

    [Fact]
    public void The_whole_bot_is_held_to_about_30_messages_a_second()
    {
        var gate = new TelegramSendGate(Microsoft.Extensions.Options.Options.Create(new TelegramOptions()));
        var immediate = Enumerable.Range(0, 40).Select(chat => gate.WaitAsync(100 + chat, CancellationToken.None)).Count(t => t.IsCompletedSuccessfully);

        Assert.Equal(30, immediate);
    }

    [Fact]
    public async Task The_per_chat_burst_and_rate_come_from_the_options()
    {
        await using var gate = new TelegramSendGate(Microsoft.Extensions.Options.Options.Create(new TelegramOptions { PerChatBurst = 8 }));
        var immediate = Enumerable.Range(0, 10).Select(_ => gate.WaitAsync(1, CancellationToken.None)).Count(t => t.IsCompletedSuccessfully);

        Assert.Equal(8, immediate);
    }
}
