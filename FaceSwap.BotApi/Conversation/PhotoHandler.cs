using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Jobs;
using FaceSwap.BotApi.Media;
using FaceSwap.BotApi.Telegram;
using FaceSwap.Contracts;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace FaceSwap.BotApi.Conversation;

/// <summary>A photo in the chat: the face, or the photo to put it on (which starts the swap).</summary>
public sealed class PhotoHandler(FaceSwapDbContext db, TermsOfUse terms, PhotoIntake photos, SwapStarter swaps, BotMessenger messenger)
{
    public async Task HandleAsync(BotUser user, BotTexts texts, Message message, TelegramPhoto photo, CancellationToken cancellationToken)
    {
        if (!terms.HasAccepted(user))
        {
            // Nothing is downloaded, stored or charged before the terms are accepted; the photo is not kept either,
            // so the user sends it again after accepting (said in TermsFirst).
            await terms.SendAsync(user, texts, texts["TermsFirst"], cancellationToken);
            return;
        }

        await messenger.ShowActionAsync(user.ChatId, ChatAction.Typing, cancellationToken);
        var taken = await photos.TakeAsync(user, photo, texts, cancellationToken);
        if (taken.BlobKey is not { } blobKey)
        {
            await messenger.SendTextAsync(user.ChatId, taken.Refusal!, cancellationToken: cancellationToken);
            return;
        }

        // The first photo of a new album is always the face; otherwise the step decides.
        var startsAlbum = message.MediaGroupId is { } group && group != user.MediaGroupId;
        user.MediaGroupId = message.MediaGroupId;

        if (startsAlbum || user.Step == ConversationStep.AwaitingFace || user.FaceBlobKey is null)
        {
            user.FaceBlobKey = blobKey;
            user.FaceFileId = photo.FileId;
            user.Step = ConversationStep.AwaitingTarget;
            await db.SaveChangesAsync(cancellationToken);
            if (message.MediaGroupId is null)
            {
                await messenger.SendTextAsync(user.ChatId, texts["FaceReceived"], cancellationToken: cancellationToken);
            }

            return;
        }

        user.LastTargetBlobKey = blobKey;
        await db.SaveChangesAsync(cancellationToken);
        await swaps.StartAsync(user, texts, user.FaceBlobKey, blobKey, TargetFaceSelection.Largest, askWhenSeveralFaces: true, cancellationToken);
    }
}
