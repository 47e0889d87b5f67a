using FaceSwap.BotApi.Credits;
using FaceSwap.BotApi.Jobs;
using FaceSwap.BotApi.Telegram;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Conversation.Commands;

/// <summary>/start and /terms: the greeting, and the terms a user accepts before their first swap.</summary>
public sealed class WelcomeCommands(CreditLedger ledger, TermsOfUse terms, BotMessenger messenger, IOptions<SwapLimitsOptions> limits)
{
    public async Task StartAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var (user, texts) = (request.User, request.Texts);
        var welcome = request.IsNewUser
            ? texts.Format("Welcome", user.FirstName, limits.Value.FreeCredits)
            : texts.Format("WelcomeBack", user.FirstName, await ledger.BalanceAsync(user.Id, cancellationToken));
        await (terms.HasAccepted(user)
            ? messenger.SendTextAsync(user.ChatId, welcome, cancellationToken: cancellationToken)
            : terms.SendAsync(user, texts, welcome, cancellationToken));
    }

    public Task TermsAsync(CommandRequest request, CancellationToken cancellationToken) =>
        terms.SendAsync(request.User, request.Texts, null, cancellationToken);
}
