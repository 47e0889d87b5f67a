using FaceSwap.BotApi.Conversation.Callbacks;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Moderation;
using FaceSwap.BotApi.Telegram;
using Telegram.Bot.Types;

namespace FaceSwap.BotApi.Conversation;

/// <summary>
/// Inline button presses: the user and the ban check, then the button's route (<see cref="CallbackRouter"/>). Every
/// press is answered, so the button stops spinning, including one whose data no button of the bot carries.
/// </summary>
public sealed class CallbackHandler(FaceSwapDbContext db, UserDirectory users, UserBans bans, TermsOfUse terms, BotMessenger messenger, CallbackRouter router)
{
    public async Task HandleAsync(CallbackQuery query, CancellationToken cancellationToken)
    {
        var chatId = query.Message?.Chat.Id ?? query.From.Id;
        var (user, _) = await users.GetOrCreateAsync(query.From, chatId, cancellationToken);
        var texts = new BotTexts(user.LanguageCode);
        var data = query.Data ?? "";

        if (await bans.StopIfBannedAsync(user, texts, cancellationToken))
        {
            await messenger.AnswerCallbackAsync(query.Id, null, cancellationToken);
            return;
        }

        string? reply = null;
        if (router.Find(data) is var (route, argument))
        {
            if (route.NeedsTerms && !terms.HasAccepted(user))
            {
                // The same rule as for a photo sent in the chat: nothing is fetched, stored or charged before the terms
                // (of this version) are accepted.
                await messenger.AnswerCallbackAsync(query.Id, null, cancellationToken);
                await terms.SendAsync(user, texts, texts["TermsFirst"], cancellationToken);
                return;
            }

            if (route.AnswerFirst)
            {
                await messenger.AnswerCallbackAsync(query.Id, null, cancellationToken);
                await route.Handle(new CallbackRequest(user, texts, data, argument), cancellationToken);
                return;
            }

            reply = await route.Handle(new CallbackRequest(user, texts, data, argument), cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await messenger.AnswerCallbackAsync(query.Id, null, cancellationToken);
        if (reply is not null)
        {
            await messenger.SendTextAsync(chatId, reply, cancellationToken: cancellationToken);
        }
    }
}
