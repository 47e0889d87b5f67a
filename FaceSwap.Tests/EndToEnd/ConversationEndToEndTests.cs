using System.Text;

namespace FaceSwap.Tests.EndToEnd;

[Collection(FaceSwapAppCollection.Name)]
public sealed class ConversationEndToEndTests(FaceSwapAppFixture app)
{
    private static readonly TimeSpan Reply = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Start_from_a_simulated_user_gets_the_welcome_back_through_the_emulator()
    {
        const long userId = 7001;
        await app.Emulator.SendTextAsync(userId, "/start");
        await app.Emulator.AcceptTermsAsync(userId);

        var welcome = await app.Emulator.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.Contains("free swaps") == true, Reply);

        Assert.Contains("Hi Tester", EmulatorClient.Text(welcome));
    }

    [Fact]
    public async Task Russian_user_gets_the_welcome_in_Russian()
    {
        const long userId = 7002;
        await app.Emulator.SendTextAsync(userId, "/start", languageCode: "ru");
        await app.Emulator.AcceptTermsAsync(userId, languageCode: "ru");

        var welcome = await app.Emulator.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m) is not null, Reply);

        Assert.StartsWith("Привет", EmulatorClient.Text(welcome));
    }

    [Fact]
    public async Task Bad_input_gets_a_clear_reason_and_costs_nothing()
    {
        const long userId = 7003;
        await app.Emulator.AskAsync(userId, "/start", Reply);
        await app.Emulator.AcceptTermsAsync(userId);

        var text = await app.Emulator.AskAsync(userId, "hello there", Reply);
        Assert.Equal("Send a photo of the face first.", EmulatorClient.Text(text));

        var before = (await app.Emulator.BotMessagesAsync(userId)).Count;
        await app.Emulator.SendStickerAsync(userId);
        var sticker = await app.Emulator.WaitForBotMessageAsync(userId, _ => true, Reply, skip: before);
        Assert.StartsWith("Stickers, videos and voice messages can't be swapped", EmulatorClient.Text(sticker));

        before = (await app.Emulator.BotMessagesAsync(userId)).Count;
        await app.Emulator.SendDocumentAsync(userId, Encoding.UTF8.GetBytes("not a picture at all"), "notes.txt", "text/plain");
        var document = await app.Emulator.WaitForBotMessageAsync(userId, _ => true, Reply, skip: before);
        Assert.StartsWith("That file is not an image", EmulatorClient.Text(document));

        before = (await app.Emulator.BotMessagesAsync(userId)).Count;
        await app.Emulator.SendDocumentAsync(userId, Encoding.UTF8.GetBytes("hello, I am no JPEG"), "fake.jpg", "image/jpeg");
        var fake = await app.Emulator.WaitForBotMessageAsync(userId, _ => true, Reply, skip: before);
        Assert.StartsWith("That file is not an image", EmulatorClient.Text(fake));

        // A tiny file whose GIF header claims 25120x29813 pixels: refused from the header, nothing decoded.
        before = (await app.Emulator.BotMessagesAsync(userId)).Count;
        await app.Emulator.SendDocumentAsync(userId, Encoding.UTF8.GetBytes("GIF89a but truncated"), "huge.gif", "image/gif");
        var huge = await app.Emulator.WaitForBotMessageAsync(userId, _ => true, Reply, skip: before);
        Assert.StartsWith("That image is too big (25120x29813)", EmulatorClient.Text(huge));

        var unknown = await app.Emulator.AskAsync(userId, "/frobnicate", Reply);
        Assert.StartsWith("I don't know that command", EmulatorClient.Text(unknown));

        var balance = await app.Emulator.AskAsync(userId, "/balance", Reply);
        Assert.Equal("You have 3 credits.", EmulatorClient.Text(balance));
    }

    [Fact]
    public async Task Help_privacy_history_and_paysupport_answer()
    {
        const long userId = 7004;
        await app.Emulator.AskAsync(userId, "/start", Reply);
        await app.Emulator.AcceptTermsAsync(userId);

        Assert.StartsWith("How it works", EmulatorClient.Text(await app.Emulator.AskAsync(userId, "/help", Reply)));
        // Each retention time as configured: photos and results 1 hour, stored updates 7 days, backups 14 days.
        var privacy = EmulatorClient.Text(await app.Emulator.AskAsync(userId, "/privacy", Reply));
        Assert.Contains("at most 60 minutes", privacy);
        Assert.Contains("Results: 60 minutes", privacy);
        Assert.Contains("as received: 7 days", privacy);
        Assert.Contains("Backups of all this: 14 days", privacy);
        Assert.Equal("No swaps yet.", EmulatorClient.Text(await app.Emulator.AskAsync(userId, "/history", Reply)));
        Assert.StartsWith("Payment help", EmulatorClient.Text(await app.Emulator.AskAsync(userId, "/paysupport", Reply)));
    }

    [Fact]
    public async Task Saved_faces_can_be_saved_listed_chosen_and_deleted()
    {
        const long userId = 7005;
        await app.Emulator.AskAsync(userId, "/start", Reply);
        await app.Emulator.AcceptTermsAsync(userId);
        Assert.StartsWith("You have no saved faces", EmulatorClient.Text(await app.Emulator.AskAsync(userId, "/faces", Reply)));
        Assert.StartsWith("Send a face photo first", EmulatorClient.Text(await app.Emulator.AskAsync(userId, "/saveface Grace", Reply)));

        await app.Emulator.SendPhotoAsync(userId, Engine.TestImages.GraceHopper, "face.jpg");
        await app.Emulator.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.StartsWith("Got the face") == true, Reply);
        Assert.Equal("Saved the face as \"Grace\".", EmulatorClient.Text(await app.Emulator.AskAsync(userId, "/saveface Grace", Reply)));

        var list = await app.Emulator.AskAsync(userId, "/faces", Reply);
        var buttons = EmulatorClient.ButtonData(list);
        Assert.Equal(2, buttons.Count);

        var before = (await app.Emulator.BotMessagesAsync(userId)).Count;
        await app.Emulator.PressButtonAsync(userId, EmulatorClient.MessageId(list), buttons.Single(b => b.StartsWith("face:use:", StringComparison.Ordinal)));
        var chosen = await app.Emulator.WaitForBotMessageAsync(userId, _ => true, Reply, skip: before);
        Assert.StartsWith("Using the face \"Grace\"", EmulatorClient.Text(chosen));

        before = (await app.Emulator.BotMessagesAsync(userId)).Count;
        await app.Emulator.PressButtonAsync(userId, EmulatorClient.MessageId(list), buttons.Single(b => b.StartsWith("face:del:", StringComparison.Ordinal)));
        var deleted = await app.Emulator.WaitForBotMessageAsync(userId, _ => true, Reply, skip: before);
        Assert.Equal("Deleted the face \"Grace\".", EmulatorClient.Text(deleted));
        Assert.StartsWith("You have no saved faces", EmulatorClient.Text(await app.Emulator.AskAsync(userId, "/faces", Reply)));
    }

    [Fact]
    public async Task Deletedata_asks_first_and_then_removes_faces_and_history()
    {
        const long userId = 7006;
        await app.Emulator.AskAsync(userId, "/start", Reply);
        await app.Emulator.AcceptTermsAsync(userId);
        await app.Emulator.SendPhotoAsync(userId, Engine.TestImages.GraceHopper, "face.jpg");
        await app.Emulator.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.StartsWith("Got the face") == true, Reply);
        await app.Emulator.AskAsync(userId, "/saveface Me", Reply);

        var confirm = await app.Emulator.AskAsync(userId, "/deletedata", Reply);
        Assert.Contains("deletedata:yes", EmulatorClient.ButtonData(confirm));
        var before = (await app.Emulator.BotMessagesAsync(userId)).Count;
        await app.Emulator.PressButtonAsync(userId, EmulatorClient.MessageId(confirm), "deletedata:yes");
        var done = await app.Emulator.WaitForBotMessageAsync(userId, _ => true, Reply, skip: before);

        Assert.StartsWith("Done: your name, photos, results, saved faces, history and stored messages are deleted", EmulatorClient.Text(done));
        Assert.StartsWith("You have no saved faces", EmulatorClient.Text(await app.Emulator.AskAsync(userId, "/faces", Reply)));
        Assert.Equal("You have 3 credits.", EmulatorClient.Text(await app.Emulator.AskAsync(userId, "/balance", Reply)));
    }
}
