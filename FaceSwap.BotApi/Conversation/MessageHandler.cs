using FaceSwap.BotApi.Conversation.Commands;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Media;
using FaceSwap.BotApi.Moderation;
using FaceSwap.BotApi.Payments;
using FaceSwap.BotApi.Telegram;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace FaceSwap.BotApi.Conversation;

/// <summary>A message in a private chat: payments Telegram reports, commands, photos, and what to say to anything else.</summary>
public sealed class MessageHandler(UserDirectory users, UserBans bans, StarsPayments stars, CommandRouter commands, PhotoHandler photos,
    BotMessenger messenger)
{
    public async Task HandleAsync(Message message, CancellationToken cancellationToken)
    {
        if (message.From is null || message.Chat.Type != ChatType.Private)
        {
            return; // the bot works in private chats only
        }

        var (user, isNew) = await users.GetOrCreateAsync(message.From, message.Chat.Id, cancellationToken);
        var texts = new BotTexts(user.LanguageCode);

        // Money Telegram reports (a payment, a refund) is always recorded, also for a banned user.
        if (message.SuccessfulPayment is { } paid)
        {
            await stars.HandleSuccessfulPaymentAsync(user, texts, paid, cancellationToken);
            return;
        }

        if (message.RefundedPayment is { } refunded)
        {
            await stars.HandleRefundedPaymentAsync(user, refunded, cancellationToken);
            return;
        }

        // A banned user is told once, then ignored.
        if (await bans.StopIfBannedAsync(user, texts, cancellationToken))
        {
            return;
        }

        if (CommandText.Parse(message.Text) is { } command)
        {
            await commands.RouteAsync(command, new CommandRequest(user, isNew, texts, command.Argument, message.MessageId), cancellationToken);
            return;
        }

        if (TelegramPhoto.From(message) is { } photo)
        {
            await photos.HandleAsync(user, texts, message, photo, cancellationToken);
            return;
        }

        var reply = message.Type is MessageType.Sticker or MessageType.Video or MessageType.Animation or MessageType.VideoNote
            or MessageType.Voice or MessageType.Audio
            ? texts["Unsupported"]
            : message.Document is not null ? texts["NotAnImage"]
            : user.Step == ConversationStep.AwaitingFace ? texts["SendFaceFirst"] : texts["SendPhotoPlease"];
        await messenger.SendTextAsync(user.ChatId, reply, cancellationToken: cancellationToken);
    }
}
