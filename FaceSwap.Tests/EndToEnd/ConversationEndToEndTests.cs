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

        var welcome = await app.Emulator.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.Contains("free swaps") == true, Reply);

        Assert.Contains("Hi Tester", EmulatorClient.Text(welcome));
    }

    [Fact]
    public async Task Russian_user_gets_the_welcome_in_Russian()
    {
        const long userId = 7002;
        await app.Emulator.SendTextAsync(userId, "/start", languageCode: "ru");

        var welcome = await app.Emulator.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m) is not null, Reply);

        Assert.StartsWith("Привет", EmulatorClient.Text(welcome));
    }
}
