using SkiaSharp;

namespace FaceSwap.Tests.EndToEnd;

[Collection(FaceSwapAppCollection.Name)]
public sealed class SwapEndToEndTests(FaceSwapAppFixture app)
{
    private static readonly TimeSpan Reply = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan SwapDone = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Face_then_target_photo_returns_a_swapped_photo_and_costs_one_credit()
    {
        const long userId = 7101;
        await app.Emulator.SendTextAsync(userId, "/start");
        await app.Emulator.AcceptTermsAsync(userId);
        await app.Emulator.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.Contains("free swaps") == true, Reply);

        await app.Emulator.SendPhotoAsync(userId, Engine.TestImages.GraceHopper, "face.jpg");
        await app.Emulator.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.StartsWith("Got the face") == true, Reply);
        await app.Emulator.SendPhotoAsync(userId, Engine.TestImages.Astronaut, "target.png", asDocument: true);

        var result = await app.Emulator.WaitForBotMessageAsync(userId, m => EmulatorClient.PhotoFileId(m) is not null, SwapDone);
        Assert.Contains("Credits left: 2", EmulatorClient.Text(result));
        using var swapped = SKBitmap.Decode(await app.Emulator.DownloadFileAsync(EmulatorClient.PhotoFileId(result)!));
        using var target = SKBitmap.Decode(Engine.TestImages.Astronaut);
        Assert.Equal((target.Width, target.Height), (swapped.Width, swapped.Height));
        Assert.True(MeanAbsoluteDifference(swapped, target) > 0.5, "the result should differ from the target photo");

        var before = (await app.Emulator.BotMessagesAsync(userId)).Count;
        await app.Emulator.SendTextAsync(userId, "/balance");
        var balance = await app.Emulator.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.StartsWith("You have") == true, Reply, skip: before);
        Assert.Equal("You have 2 credits.", EmulatorClient.Text(balance));

        // "As file": the full-quality result as a document.
        var asFile = EmulatorClient.ButtonData(result).Single(b => b.StartsWith("file:", StringComparison.Ordinal));
        await app.Emulator.PressButtonAsync(userId, EmulatorClient.MessageId(result), asFile);
        var document = await app.Emulator.WaitForBotMessageAsync(userId, m => m.TryGetProperty("documentFileId", out var id) && id.ValueKind == System.Text.Json.JsonValueKind.String, Reply);
        var file = await app.Emulator.DownloadFileAsync(document.GetProperty("documentFileId").GetString()!);
        using var full = SKBitmap.Decode(file);
        Assert.Equal((target.Width, target.Height), (full.Width, full.Height));
        // The file keeps its bytes through Telegram, so it carries the machine-readable AI mark (IPTC digital source type in XMP).
        var text = System.Text.Encoding.UTF8.GetString(file);
        Assert.Contains("Iptc4xmpExt:DigitalSourceType", text, StringComparison.Ordinal);
        Assert.Contains("http://cv.iptc.org/newscodes/digitalsourcetype/compositeSynthetic", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_target_without_a_face_is_explained_and_the_credit_comes_back()
    {
        const long userId = 7102;
        await app.Emulator.SendTextAsync(userId, "/start");
        await app.Emulator.AcceptTermsAsync(userId);
        await app.Emulator.SendPhotoAsync(userId, Engine.TestImages.GraceHopper, "face.jpg");
        await app.Emulator.SendPhotoAsync(userId, Engine.TestImages.Coffee, "coffee.png");

        var failed = await app.Emulator.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.Contains("The swap failed") == true, SwapDone);
        Assert.Contains("no face found in the target photo", EmulatorClient.Text(failed));

        var before = (await app.Emulator.BotMessagesAsync(userId)).Count;
        await app.Emulator.SendTextAsync(userId, "/balance");
        var balance = await app.Emulator.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.StartsWith("You have") == true, Reply, skip: before);
        Assert.Equal("You have 3 credits.", EmulatorClient.Text(balance));
    }

    private static double MeanAbsoluteDifference(SKBitmap a, SKBitmap b)
    {
        long total = 0;
        for (var y = 0; y < a.Height; y += 2)
        {
            for (var x = 0; x < a.Width; x += 2)
            {
                var (p, q) = (a.GetPixel(x, y), b.GetPixel(x, y));
                total += Math.Abs(p.Red - q.Red) + Math.Abs(p.Green - q.Green) + Math.Abs(p.Blue - q.Blue);
            }
        }

        return total / (3.0 * (a.Height / 2) * (a.Width / 2));
    }
}
