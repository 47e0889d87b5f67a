using SkiaSharp;

namespace FaceSwap.Tests.EndToEnd;

[Collection(MagicApiAppCollection.Name)]
public sealed class PollingModeEndToEndTests(MagicApiAppFixture app)
{
    [Fact]
    public async Task Album_of_face_and_target_is_swapped_in_polling_mode()
    {
        const long userId = 7201;
        await app.Emulator.AskAsync(userId, "/start", TimeSpan.FromSeconds(30));
        await app.Emulator.AcceptTermsAsync(userId);

        await app.Emulator.SendAlbumAsync(userId, (Engine.TestImages.GraceHopper, "face.jpg"), (Engine.TestImages.Astronaut, "target.png"));

        var result = await app.Emulator.WaitForBotMessageAsync(userId, m => EmulatorClient.PhotoFileId(m) is not null, TimeSpan.FromSeconds(90));
        Assert.Contains("Credits left: 2", EmulatorClient.Text(result));
        using var swapped = SKBitmap.Decode(await app.Emulator.DownloadFileAsync(EmulatorClient.PhotoFileId(result)!));
        Assert.NotNull(swapped);
        Assert.Null(await EmulatorState(app));
    }

    /// <summary>In polling mode no webhook is registered with the emulator.</summary>
    private static async Task<string?> EmulatorState(MagicApiAppFixture app)
    {
        var state = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.JsonElement>(app.Emulator.Http, "/control/state");
        return state.GetProperty("webhookUrl").GetString();
    }
}
