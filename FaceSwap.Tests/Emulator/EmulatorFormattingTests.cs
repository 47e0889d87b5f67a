using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace FaceSwap.Tests.Emulator;

/// <summary>parse_mode handling: Telegram's parser turns markup into entities and rejects bad markup.</summary>
public sealed class EmulatorFormattingTests
{
    [Fact]
    public async Task Html_becomes_plain_text_with_entities()
    {
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();
        await host.UserSaysAsync(9601, "hi");

        var message = await bot.SendMessage(9601, "<b>Done</b> &amp; <a href=\"https://example.org/x?a=1&amp;b=2\">link</a>", parseMode: ParseMode.Html);

        Assert.Equal("Done & link", message.Text);
        Assert.Collection(message.Entities!,
            e => Assert.Equal((MessageEntityType.Bold, 0, 4), (e.Type, e.Offset, e.Length)),
            e =>
            {
                Assert.Equal((MessageEntityType.TextLink, 7, 4), (e.Type, e.Offset, e.Length));
                Assert.Equal("https://example.org/x?a=1&b=2", e.Url);
            });
    }

    [Fact]
    public async Task Broken_html_is_rejected_like_telegram_does()
    {
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();
        await host.UserSaysAsync(9602, "hi");

        var unclosed = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(9602, "<b>bold", parseMode: ParseMode.Html));
        Assert.Equal("Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\"", unclosed.Message);

        var unsupported = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(9602, "<div>x</div>", parseMode: ParseMode.Html));
        Assert.StartsWith("Bad Request: can't parse entities: Unsupported start tag \"div\"", unsupported.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MarkdownV2_needs_reserved_characters_escaped()
    {
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();
        await host.UserSaysAsync(9603, "hi");

        var ex = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(9603, "You have 3 swaps left.", parseMode: ParseMode.MarkdownV2));
        Assert.Equal("Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'", ex.Message);

        var ok = await bot.SendMessage(9603, "*Done\\!* You have _3_ swaps left\\. `code_here` [site](https://example.org)", parseMode: ParseMode.MarkdownV2);
        Assert.Equal("Done! You have 3 swaps left. code_here site", ok.Text);
        Assert.Equal(
            [(MessageEntityType.Bold, 0, 5), (MessageEntityType.Italic, 15, 1), (MessageEntityType.Code, 29, 9), (MessageEntityType.TextLink, 39, 4)],
            ok.Entities!.Select(e => (e.Type, e.Offset, e.Length)));

        var unclosed = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(9603, "ab *bold", parseMode: ParseMode.MarkdownV2));
        Assert.Equal("Bad Request: can't parse entities: Can't find end of Bold entity at byte offset 3", unclosed.Message);
    }

    [Fact]
    public async Task Captions_are_parsed_too_and_explicit_entities_win()
    {
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();
        await host.UserSaysAsync(9604, "hi");

        using var image = new MemoryStream(EmulatorHost.MakeImage(64, 64));
        var photo = await bot.SendPhoto(9604, InputFile.FromStream(image, "p.png"), caption: "<i>result</i>", parseMode: ParseMode.Html);
        Assert.Equal("result", photo.Caption);
        Assert.Equal(MessageEntityType.Italic, Assert.Single(photo.CaptionEntities!).Type);

        var plain = await bot.SendMessage(9604, "a.b", entities: [new MessageEntity { Type = MessageEntityType.Bold, Offset = 0, Length = 1 }]);
        Assert.Equal("a.b", plain.Text);
        Assert.Equal(MessageEntityType.Bold, Assert.Single(plain.Entities!).Type);
    }
}
