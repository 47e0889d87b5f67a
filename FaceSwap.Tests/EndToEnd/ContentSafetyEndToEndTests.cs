using FaceSwap.Tests.Engine;
using FaceSwap.Tests.Safety;

namespace FaceSwap.Tests.EndToEnd;

/// <summary>
/// The content-safety gate through the whole app: a photo the classifier scores as explicit (the classifier-positive
/// fixture, coloured noise, see TestData/safety) is refused at intake with a clear message, whether it comes as the
/// face or as the target, as a photo or as a file; nothing is charged, stored or queued.
/// </summary>
[Collection(FaceSwapAppCollection.Name)]
public sealed class ContentSafetyEndToEndTests(FaceSwapAppFixture app)
{
    private static readonly TimeSpan Reply = TimeSpan.FromSeconds(30);
    private const string Refusal = "I can't use this photo: it looks like sexual content";

    [Fact]
    public async Task An_unsafe_face_photo_is_refused_and_not_kept_as_the_face()
    {
        const long userId = 7601;
        await app.Emulator.AskAsync(userId, "/start", Reply);
        await app.Emulator.AcceptTermsAsync(userId);

        var before = (await app.Emulator.BotMessagesAsync(userId)).Count;
        await app.Emulator.SendPhotoAsync(userId, SafetyTestImages.ClassifierPositive, "face.png");
        var refused = await app.Emulator.WaitForBotMessageAsync(userId, _ => true, Reply, skip: before);
        Assert.StartsWith(Refusal, EmulatorClient.Text(refused));
        Assert.Contains("Nothing was charged", EmulatorClient.Text(refused));

        // The refused photo did not become the face: the next photo is taken as the face, not as a target to swap.
        before = (await app.Emulator.BotMessagesAsync(userId)).Count;
        await app.Emulator.SendPhotoAsync(userId, TestImages.GraceHopper, "face.jpg");
        var face = await app.Emulator.WaitForBotMessageAsync(userId, _ => true, Reply, skip: before);
        Assert.StartsWith("Got the face", EmulatorClient.Text(face));
        await AssertNothingChargedAsync(userId);
    }

    [Fact]
    public async Task An_unsafe_target_sent_as_a_file_is_refused_before_any_credit_is_spent()
    {
        const long userId = 7602;
        await app.Emulator.AskAsync(userId, "/start", Reply);
        await app.Emulator.AcceptTermsAsync(userId);
        await app.Emulator.SendPhotoAsync(userId, TestImages.GraceHopper, "face.jpg");
        await app.Emulator.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.StartsWith("Got the face") == true, Reply);

        var before = (await app.Emulator.BotMessagesAsync(userId)).Count;
        await app.Emulator.SendPhotoAsync(userId, SafetyTestImages.ClassifierPositive, "target.png", asDocument: true);
        var refused = await app.Emulator.WaitForBotMessageAsync(userId, _ => true, Reply, skip: before);

        Assert.StartsWith(Refusal, EmulatorClient.Text(refused));
        await AssertNothingChargedAsync(userId);
    }

    private async Task AssertNothingChargedAsync(long userId)
    {
        Assert.Equal("You have 3 credits.", EmulatorClient.Text(await app.Emulator.AskAsync(userId, "/balance", Reply)));
        Assert.Equal("No swaps yet.", EmulatorClient.Text(await app.Emulator.AskAsync(userId, "/history", Reply)));
    }
}
