using FaceSwap.BotApi.Moderation;
using FaceSwap.BotApi.Payments;
using FaceSwap.BotApi.Telegram;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Conversation.Commands;

/// <summary>
/// Every command the bot knows, with who may run it and what runs it: the one table to read (and to change) when a
/// command is added. An unknown command, and an admin command from anyone but an operator, get the same "I don't know
/// that command": nothing tells a user the operators' commands exist.
/// </summary>
public sealed class CommandRouter
{
    private readonly Dictionary<string, CommandRoute> _routes;
    private readonly BotMessenger _messenger;
    private readonly IOptions<PaymentsOptions> _admins;

    public CommandRouter(WelcomeCommands welcome, HelpCommands help, PrivacyCommands privacy, HistoryCommand history, SavedFaceCommands faces,
        PaymentCommands payments, ModerationCommands moderation, BotMessenger messenger, IOptions<PaymentsOptions> admins)
    {
        _messenger = messenger;
        _admins = admins;
        _routes = new(StringComparer.Ordinal)
        {
            ["/start"] = new(CommandPolicy.Everyone, welcome.StartAsync),
            ["/terms"] = new(CommandPolicy.Everyone, welcome.TermsAsync),
            ["/help"] = new(CommandPolicy.Everyone, help.HelpAsync),
            ["/paysupport"] = new(CommandPolicy.Everyone, help.PaySupportAsync),
            ["/privacy"] = new(CommandPolicy.Everyone, privacy.PrivacyAsync),
            ["/deletedata"] = new(CommandPolicy.Everyone, privacy.DeleteDataAsync),
            ["/history"] = new(CommandPolicy.Everyone, history.HandleAsync),
            ["/faces"] = new(CommandPolicy.Everyone, faces.ListAsync),
            ["/saveface"] = new(CommandPolicy.Everyone, faces.SaveAsync),
            ["/buy"] = new(CommandPolicy.Everyone, payments.BuyAsync),
            ["/balance"] = new(CommandPolicy.Everyone, payments.BalanceAsync),
            ["/report"] = new(CommandPolicy.Everyone, moderation.ReportAsync),
            ["/grant"] = new(CommandPolicy.Admin, payments.GrantAsync),
            ["/refund"] = new(CommandPolicy.Admin, payments.RefundAsync),
            ["/stats"] = new(CommandPolicy.Admin, payments.StatsAsync),
            ["/ban"] = new(CommandPolicy.Admin, moderation.BanAsync),
            ["/unban"] = new(CommandPolicy.Admin, moderation.UnbanAsync),
        };
    }

    /// <summary>Each command and who may run it.</summary>
    public IReadOnlyDictionary<string, CommandPolicy> Policies => _routes.ToDictionary(r => r.Key, r => r.Value.Policy);

    public Task RouteAsync(CommandText command, CommandRequest request, CancellationToken cancellationToken) =>
        _routes.TryGetValue(command.Name, out var route) && Allows(route.Policy, request)
            ? route.Handle(request, cancellationToken)
            : _messenger.SendTextAsync(request.User.ChatId, request.Texts["UnknownCommand"], cancellationToken: cancellationToken);

    private bool Allows(CommandPolicy policy, CommandRequest request) =>
        policy == CommandPolicy.Everyone || _admins.Value.IsAdmin(request.User.Id);
}
