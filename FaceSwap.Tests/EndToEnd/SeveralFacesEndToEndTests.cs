namespace FaceSwap.Tests.EndToEnd;

[Collection(FaceSwapAppCollection.Name)]
public sealed class SeveralFacesEndToEndTests(FaceSwapAppFixture app)
{
    [Fact]
    public async Task A_target_with_two_faces_gets_a_numbered_preview_and_the_chosen_face_is_swapped()
    {
        const long userId = 7103;
        await app.Emulator.AskAsync(userId, "/start", TimeSpan.FromSeconds(30));
        await app.Emulator.AcceptTermsAsync(userId);
        await app.Emulator.SendPhotoAsync(userId, Engine.TestImages.GraceHopper, "face.jpg");
        await app.Emulator.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.StartsWith("Got the face") == true, TimeSpan.FromSeconds(30));

        await app.Emulator.SendPhotoAsync(userId, Engine.TestImages.TwoFaces(), "pair.png", asDocument: true);

        var question = await app.Emulator.WaitForBotMessageAsync(userId,
            m => EmulatorClient.PhotoFileId(m) is not null && EmulatorClient.Text(m)?.StartsWith("I found 2 faces") == true, TimeSpan.FromSeconds(90));
        var buttons = EmulatorClient.ButtonData(question);
        Assert.Equal(3, buttons.Count); // 1, 2, all
        // The question holds the swap's one credit: it is neither refunded now nor spent again after the answer.
        Assert.Equal("You have 2 credits.", EmulatorClient.Text(await app.Emulator.AskAsync(userId, "/balance", TimeSpan.FromSeconds(30))));

        var before = (await app.Emulator.BotMessagesAsync(userId)).Count;
        await app.Emulator.PressButtonAsync(userId, EmulatorClient.MessageId(question), buttons[1]);
        var result = await app.Emulator.WaitForBotMessageAsync(userId,
            m => EmulatorClient.PhotoFileId(m) is not null && EmulatorClient.Text(m)?.Contains("Credits left") == true, TimeSpan.FromSeconds(90), skip: before);
        Assert.Equal("Here you go! Credits left: 2\n🤖 Altered by AI: this face is not really in the photo.", EmulatorClient.Text(result));
    }
}
