using Microsoft.Extensions.Hosting;

namespace FaceSwap.Tests.Operations;

/// <summary>The dashboard lists Bot API calls by method (<c>telegram sendPhoto</c>), never by the token-bearing path.</summary>
public sealed class TelegramSpanNameTests
{
    [Theory]
    [InlineData("https://api.telegram.org/bot123456:AbC-d_9/sendPhoto", "telegram sendPhoto")]
    [InlineData("http://localhost:5380/bot123456:AbC/getUpdates?offset=5", "telegram getUpdates")]
    [InlineData("https://api.telegram.org/file/bot123456:AbC/photos/file_1.jpg", "telegram file download")]
    [InlineData("https://api.magicapi.dev/api/v1/faceswap", null)]
    [InlineData("http://localhost/botapi/health", null)]
    public void A_request_is_named_by_its_Bot_API_method(string url, string? name) =>
        Assert.Equal(name, TelegramSpanName.Of(new Uri(url)));
}
