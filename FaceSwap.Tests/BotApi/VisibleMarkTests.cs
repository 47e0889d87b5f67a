using FaceSwap.Tests.Engine;
using FaceSwap.Tests.EndToEnd;
using FaceSwap.Tests.Queue;
using FaceSwap.Tests.Support;
using SkiaSharp;
using StackExchange.Redis;

namespace FaceSwap.Tests.BotApi;

/// <summary>
/// <c>AiLabel:VisibleMark</c>: off by default; on, every result gets the small mark in its bottom-right corner, drawn
/// with the font embedded in the bot API (no system font needed), once. Through the real bot API and queue.
/// </summary>
public sealed class VisibleMarkTests
{
    private static readonly TimeSpan Reply = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_mark_is_in_the_corner_only_when_the_operator_turns_it_on(bool visibleMark)
    {
        var settings = new Dictionary<string, string?>();
        if (visibleMark)
        {
            settings["AiLabel:VisibleMark"] = "true";
        }

        await using var host = await BotApiHost.StartAsync(settings);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(host.Redis.ConnectionString);
        // The "swap" returns the target as the bot API stored it, so any change in the result is the bot API's own.
        await using var processor = await ProcessorQueue.StartAsync(redis, new ScriptedEngine { Output = request => request.Target.Bytes.ToArray() });
        var users = new EmulatorClient(host.Emulator.Http);
        const long userId = 7501;
        await users.AcceptTermsAsync(userId);
        await users.SendPhotoAsync(userId, TestImages.GraceHopper, "face.jpg");
        await users.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.StartsWith("Got the face") == true, Reply);
        await users.SendPhotoAsync(userId, TestImages.Astronaut, "target.png", asDocument: true);
        var result = await users.WaitForBotMessageAsync(userId, m => EmulatorClient.PhotoFileId(m) is not null, Reply);
        await users.PressButtonAsync(userId, EmulatorClient.MessageId(result), EmulatorClient.ButtonData(result).Single(b => b.StartsWith("file:", StringComparison.Ordinal)));
        var document = await users.WaitForBotMessageAsync(userId, m => m.TryGetProperty("documentFileId", out var id) && id.ValueKind == System.Text.Json.JsonValueKind.String, Reply);
        var file = await users.DownloadFileAsync(document.GetProperty("documentFileId").GetString()!);

        using var marked = TestImages.Decode(file);
        using var original = TestImages.Decode(TestImages.Astronaut);
        var corner = new SKRectI(original.Width * 3 / 4, original.Height * 9 / 10, original.Width, original.Height);
        var elsewhere = new SKRectI(0, 0, original.Width / 4, original.Height / 10);
        Assert.True(MeanDifference(marked, original, elsewhere) < 3, "outside the corner the result is the target");
        if (visibleMark)
        {
            Assert.True(MeanDifference(marked, original, corner) > 3, "the mark is drawn in the bottom-right corner");
        }
        else
        {
            Assert.True(MeanDifference(marked, original, corner) < 3, "no mark unless the operator turns it on");
        }

        // The XMP label is there either way.
        Assert.Contains("Iptc4xmpExt:DigitalSourceType", System.Text.Encoding.UTF8.GetString(file), StringComparison.Ordinal);
    }

    [Fact]
    public void The_bot_api_refuses_to_start_with_a_mark_no_font_can_draw()
    {
        // Unassigned code points: no font has glyphs for them.
        using var factory = UnstartedBotApi.With(("AiLabel:VisibleMark", "true"), ("AiLabel:VisibleMarkText", "\u0378\u0379"));

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => factory.Server);

        Assert.Contains("AiLabel:VisibleMarkText has characters no font can draw", error.Message, StringComparison.Ordinal);
    }

    private static double MeanDifference(SKBitmap a, SKBitmap b, SKRectI area)
    {
        long total = 0, count = 0;
        for (var y = area.Top; y < area.Bottom; y += 2)
        {
            for (var x = area.Left; x < area.Right; x += 2)
            {
                var (p, q) = (a.GetPixel(x, y), b.GetPixel(x, y));
                total += Math.Abs(p.Red - q.Red) + Math.Abs(p.Green - q.Green) + Math.Abs(p.Blue - q.Blue);
                count += 3;
            }
        }

        return (double)total / count;
    }
}
