using System.Net.Http.Json;
using System.Text.Json;

namespace FaceSwap.Tests.EndToEnd;

[Collection(FaceSwapAppCollection.Name)]
public sealed class StarsPurchaseEndToEndTests(FaceSwapAppFixture app)
{
    private static readonly TimeSpan Reply = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Buying_a_pack_with_stars_through_the_whole_app_adds_its_credits()
    {
        const long userId = 7201;
        await app.Emulator.SendTextAsync(userId, "/buy");
        var menu = await app.Emulator.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.StartsWith("Choose a credit pack") == true, Reply);

        var before = (await app.Emulator.BotMessagesAsync(userId)).Count;
        await app.Emulator.PressButtonAsync(userId, menu.GetProperty("messageId").GetInt64(), "buy:stars:small");
        var invoice = await app.Emulator.WaitForBotMessageAsync(userId, m => m.GetProperty("method").GetString() == "sendInvoice", Reply, skip: before);

        var pay = await app.Emulator.Http.PostAsJsonAsync($"/control/users/{userId}/pay", new { messageId = invoice.GetProperty("messageId").GetInt64() });
        var result = await pay.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("paid", result.GetProperty("status").GetString());

        var thanks = await app.Emulator.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.StartsWith("Thank you") == true, Reply);
        Assert.Equal("Thank you for your purchase! 10 credits added; you now have 13 credits.", EmulatorClient.Text(thanks));

        before = (await app.Emulator.BotMessagesAsync(userId)).Count;
        await app.Emulator.SendTextAsync(userId, "/balance");
        var balance = await app.Emulator.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.StartsWith("You have") == true, Reply, skip: before);
        Assert.StartsWith("You have 13 credits.\n\nYour last purchases:\n", EmulatorClient.Text(balance), StringComparison.Ordinal);
    }
}
