using FaceSwap.BotApi.Conversation.Commands;
using FaceSwap.Tests.EndToEnd;
using FaceSwap.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FaceSwap.Tests.BotApi;

/// <summary>The command table through the chat: each command reaches its handler, the admin policy, and Telegram's "/cmd@bot" form.</summary>
public sealed class CommandRouterTests : IAsyncLifetime
{
    private const long Admin = 6200;
    private static readonly TimeSpan Reply = TimeSpan.FromSeconds(30);

    private BotApiHost _host = null!;
    private EmulatorClient _users = null!;

    public async Task InitializeAsync()
    {
        _host = await BotApiHost.StartAsync(new Dictionary<string, string?> { ["Payments:AdminUserIds:0"] = Admin.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        _users = new EmulatorClient(_host.Emulator.Http);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<string?> AskAsync(long userId, string text) => EmulatorClient.Text(await _users.AskAsync(userId, text, Reply));

    private async Task StartAsync(long userId)
    {
        await _users.AskAsync(userId, "/start", Reply);
        await _users.AcceptTermsAsync(userId);
    }

    /// <summary>Every command, who may run it, and how its handler's reply starts (admin commands without arguments: their usage).</summary>
    public static TheoryData<string, CommandPolicy, string> Table => new()
    {
        { "/start", CommandPolicy.Everyone, "Welcome back, Tester! You have 3 credits." },
        { "/terms", CommandPolicy.Everyone, "Terms of use (version" },
        { "/help", CommandPolicy.Everyone, "How it works" },
        { "/paysupport", CommandPolicy.Everyone, "Payment help" },
        { "/privacy", CommandPolicy.Everyone, "What I store, and for how long" },
        { "/deletedata", CommandPolicy.Everyone, "This deletes at once your name" },
        { "/history", CommandPolicy.Everyone, "No swaps yet." },
        { "/faces", CommandPolicy.Everyone, "You have no saved faces" },
        { "/saveface", CommandPolicy.Everyone, "Give the face a name" },
        { "/buy", CommandPolicy.Everyone, "Choose a credit pack" },
        { "/balance", CommandPolicy.Everyone, "You have 3 credits." },
        { "/report", CommandPolicy.Everyone, "There is no swap of yours to report" },
        { "/grant", CommandPolicy.Admin, "Usage: /grant USER_ID CREDITS" },
        { "/refund", CommandPolicy.Admin, "Usage: /refund TELEGRAM_PAYMENT_CHARGE_ID" },
        { "/stats", CommandPolicy.Admin, "Users: " },
        { "/ban", CommandPolicy.Admin, "Usage: /ban <user id>" },
        { "/unban", CommandPolicy.Admin, "Usage: /unban <user id>" },
    };

    [Fact]
    public async Task The_table_holds_every_command_with_its_policy_and_each_reaches_its_handler()
    {
        var expected = Table.ToDictionary(row => (string)row[0], row => (CommandPolicy)row[1]);
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            Assert.Equal(expected.OrderBy(p => p.Key), scope.ServiceProvider.GetRequiredService<CommandRouter>().Policies.OrderBy(p => p.Key));
        }

        await StartAsync(Admin);
        foreach (var row in Table)
        {
            var (command, reply) = ((string)row[0], (string)row[2]);
            var answer = await AskAsync(Admin, command);
            Assert.True(answer?.StartsWith(reply, StringComparison.Ordinal) == true, $"{command} answered: {answer}");
        }
    }

    [Fact]
    public async Task An_admin_command_from_anyone_else_is_answered_as_unknown_and_does_nothing()
    {
        const long userId = 6201;
        await StartAsync(userId);

        foreach (var command in new[] { $"/grant {userId} 100", "/refund stxabc", "/stats", $"/ban {Admin}", $"/unban {userId}" })
        {
            Assert.Equal("I don't know that command. /help lists what I can do.", await AskAsync(userId, command));
        }

        Assert.StartsWith("I don't know that command", await AskAsync(userId, "/frobnicate"));
        Assert.Equal("You have 3 credits.", await AskAsync(userId, "/balance"));

        await StartAsync(Admin);
        Assert.Equal($"Changed user {userId}'s credits by 100; their balance is now 103.", await AskAsync(Admin, $"/grant {userId} 100"));
    }

    [Fact]
    public async Task A_command_addressed_to_the_bot_by_name_and_its_arguments_reach_the_handler()
    {
        const long userId = 6202;
        await StartAsync(userId);
        await StartAsync(Admin);

        Assert.StartsWith("How it works", await AskAsync(userId, "/help@FaceSwapTestBot"));
        Assert.StartsWith("Give the face a name", await AskAsync(userId, "/SaveFace@FaceSwapTestBot"));
        Assert.StartsWith("Send a face photo first", await AskAsync(userId, "/saveface@FaceSwapTestBot   Grace "));
        Assert.StartsWith("I don't know that command", await AskAsync(userId, "/frobnicate@FaceSwapTestBot now"));
        Assert.Equal($"Changed user {userId}'s credits by 5; their balance is now 8.", await AskAsync(Admin, $"/grant@FaceSwapTestBot {userId} 5"));
    }
}
