using System.Diagnostics;
using FaceSwap.BotApi.Payments;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace FaceSwap.BotApi.Conversation;

/// <summary>The one entry point for a stored update: routes it by kind.</summary>
public sealed class UpdateDispatcher(MessageHandler messages, CallbackHandler callbacks, StarsPayments stars, UserReachability reachability,
    ILogger<UpdateDispatcher> logger)
{
    public Task HandleAsync(Update update, CancellationToken cancellationToken)
    {
        Activity.Current?.SetTag("telegram.update_type", update.Type.ToString());
        return update switch
        {
            { Message: { } message } => messages.HandleAsync(message, cancellationToken),
            { CallbackQuery: { } query } => callbacks.HandleAsync(query, cancellationToken),
            { PreCheckoutQuery: { } checkout } => stars.AnswerPreCheckoutAsync(checkout, cancellationToken),
            // Telegram tells the bot when a user blocks it (kicked) and unblocks it (member).
            { MyChatMember: { Chat.Type: ChatType.Private, NewChatMember.Status: ChatMemberStatus.Kicked } member } =>
                reachability.MarkUnreachableAsync(member.Chat.Id, "the user blocked the bot", cancellationToken),
            { MyChatMember: { Chat.Type: ChatType.Private, NewChatMember.Status: ChatMemberStatus.Member } member } =>
                reachability.MarkReachableAsync(member.Chat.Id, cancellationToken),
            _ => Ignore(update),
        };
    }

    private Task Ignore(Update update)
    {
        logger.LogDebug("Ignoring update {UpdateId} of type {Type}", update.Id, update.Type);
        return Task.CompletedTask;
    }
}
