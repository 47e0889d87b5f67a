using FaceSwap.BotApi.Conversation;
using FaceSwap.BotApi.Conversation.Commands;
using FaceSwap.BotApi.Data;

namespace FaceSwap.Tests.BotApi;

public sealed class CommandTextTests
{
    [Theory]
    [InlineData("/start", "/start", null)]
    [InlineData("/Start@FaceSwapBot", "/start", null)]
    [InlineData("/saveface@FaceSwapBot   My face ", "/saveface", "My face")]
    [InlineData("/grant 42 -5", "/grant", "42 -5")]
    [InlineData("/", "/", null)]
    public void A_command_is_its_lower_case_name_without_the_bot_name_and_the_trimmed_rest(string text, string name, string? argument)
    {
        Assert.Equal(new CommandText(name, argument), CommandText.Parse(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("hello /start")]
    public void Text_not_starting_with_a_slash_is_no_command(string? text)
    {
        Assert.Null(CommandText.Parse(text));
    }

    [Fact]
    public void The_words_of_an_argument_are_split_at_spaces()
    {
        var request = new CommandRequest(new BotUser { Id = 1, ChatId = 1 }, false, BotTexts.English, "42   -5", 7);

        Assert.Equal(["42", "-5"], request.Words);
    }
}
