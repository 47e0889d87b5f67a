using FaceSwap.Tests.Engine;
using SkiaSharp;

namespace FaceSwap.Tests.EndToEnd;

[Collection(MagicApiAppCollection.Name)]
public sealed class MagicApiEndToEndTests(MagicApiAppFixture app)
{
    [Fact]
    public async Task A_face_and_a_target_photo_are_swapped_by_the_hosted_engine_through_signed_input_urls()
    {
        const long userId = 7501;
        // The collection's other tests swap through the same fake: count only this test's calls.
        app.MagicApi.Requests.Clear();
        app.MagicApi.InputFetches.Clear();
        await app.Emulator.AskAsync(userId, "/start", TimeSpan.FromSeconds(30));
        await app.Emulator.AcceptTermsAsync(userId);
        await app.Emulator.SendPhotoAsync(userId, TestImages.GraceHopper, "face.jpg");
        await app.Emulator.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.StartsWith("Got the face") == true, TimeSpan.FromSeconds(30));
        await app.Emulator.SendPhotoAsync(userId, TestImages.Astronaut, "target.png");

        var result = await app.Emulator.WaitForBotMessageAsync(userId, m => EmulatorClient.PhotoFileId(m) is not null, TimeSpan.FromSeconds(90));

        Assert.Contains("Credits left: 2", EmulatorClient.Text(result));
        Assert.Contains("Altered by AI", EmulatorClient.Text(result));
        using var swapped = SKBitmap.Decode(await app.Emulator.DownloadFileAsync(EmulatorClient.PhotoFileId(result)!));
        Assert.NotNull(swapped);
        var submit = Assert.Single(app.MagicApi.Requests, r => r.Path.EndsWith("/run", StringComparison.Ordinal));
        Assert.Equal("test-magicapi-key", submit.Key);
        var fetches = app.MagicApi.InputFetches.ToList();
        Assert.Equal(2, fetches.Count);
        Assert.All(fetches, f =>
        {
            Assert.Equal(200, f.Status);
            Assert.Contains("/media/", f.Url.AbsolutePath, StringComparison.Ordinal); // the bot API's signed URL, never Telegram's
            Assert.Contains("sig=", f.Url.Query, StringComparison.Ordinal);
        });
    }
}
