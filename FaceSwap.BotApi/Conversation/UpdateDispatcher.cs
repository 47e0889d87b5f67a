using System.Diagnostics;
using FaceSwap.BotApi.Payments;
using Telegram.Bot.Types;

namespace FaceSwap.BotApi.Conversation;

/// <summary>The one entry point for a stored update: routes it by kind.</summary>
public sealed class UpdateDispatcher(MessageHandler messages, CallbackHandler callbacks, StarsPayments stars, ILogger<UpdateDispatcher> logger)
{
    public Task HandleAsync(Update update, CancellationToken cancellationToken)
    {
        Activity.Current?.SetTag("telegram.update_type", update.Type.ToString());
        return update switch
        {
            { Message: { } message } => messages.HandleAsync(message, cancellationToken),
            { CallbackQuery: { } query } => callbacks.HandleAsync(query, cancellationToken),
            { PreCheckoutQuery: { } checkout } => stars.AnswerPreCheckoutAsync(checkout, cancellationToken),
            _ => Ignore(update),
        };
    }

    private Task Ignore(Update update)
    {
        logger.LogDebug("Ignoring update {UpdateId} of type {Type}", update.Id, update.Type);
        return Task.CompletedTask;
    }
}
