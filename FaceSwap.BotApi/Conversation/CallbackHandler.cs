using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Media;
using FaceSwap.BotApi.Moderation;
using FaceSwap.BotApi.Payments;
using FaceSwap.BotApi.Privacy;
using FaceSwap.BotApi.Telegram;
using FaceSwap.Contracts;
using FaceSwap.BotApi.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Telegram.Bot.Types;

namespace FaceSwap.BotApi.Conversation;

/// <summary>Inline button presses.</summary>
public sealed class CallbackHandler(FaceSwapDbContext db, UserDirectory users, BlobStore blobs, PhotoIntake photos, BotMessenger messenger,
    Jobs.SwapJobLifecycle lifecycle, PaymentCommands payments, TermsOfUse terms, UserBans bans, ContentReports reports, UserDataEraser eraser, IOptions<BackupOptions> backups)
{
    public async Task HandleAsync(CallbackQuery query, CancellationToken cancellationToken)
    {
        var chatId = query.Message?.Chat.Id ?? query.From.Id;
        var (user, _) = await users.GetOrCreateAsync(query.From, chatId, cancellationToken);
        var texts = new BotTexts(user.LanguageCode);
        var data = query.Data ?? "";
        string? reply = null;

        if (await bans.StopIfBannedAsync(user, texts, cancellationToken))
        {
            await messenger.AnswerCallbackAsync(query.Id, null, cancellationToken);
            return;
        }

        if (data.StartsWith(ConversationKeyboards.AcceptTermsPrefix, StringComparison.Ordinal))
        {
            if (terms.Accept(user, data[ConversationKeyboards.AcceptTermsPrefix.Length..]))
            {
                reply = texts["TermsAccepted"];
            }
            else
            {
                await terms.SendAsync(user, texts, null, cancellationToken); // a button under an older text: show the current one
            }
        }
        else if (data.StartsWith(ConversationKeyboards.ReportPrefix, StringComparison.Ordinal))
        {
            await messenger.AnswerCallbackAsync(query.Id, null, cancellationToken);
            await reports.ReportAsync(user, texts, data[ConversationKeyboards.ReportPrefix.Length..], null, cancellationToken);
            return;
        }
        else if ((data == ConversationKeyboards.SameFace || data.StartsWith(ConversationKeyboards.UseFacePrefix, StringComparison.Ordinal))
                 && !terms.HasAccepted(user))
        {
            // These buttons fetch a photo, and nothing is fetched, stored or charged before the terms (of this version)
            // are accepted: the same rule as for a photo sent in the chat.
            await messenger.AnswerCallbackAsync(query.Id, null, cancellationToken);
            await terms.SendAsync(user, texts, texts["TermsFirst"], cancellationToken);
            return;
        }
        else if (data == ConversationKeyboards.SameFace)
        {
            user.Step = ConversationStep.AwaitingTarget;
            if (user.FaceBlobKey is null || await blobs.GetAsync(user.FaceBlobKey, cancellationToken) is null)
            {
                // The stored face expired: fetched again from Telegram, through the same intake as a new upload.
                var fetched = user.FaceFileId is null ? null : await photos.TakeAsync(user, new TelegramPhoto(user.FaceFileId), texts, cancellationToken);
                user.FaceBlobKey = fetched?.BlobKey;
                user.Step = user.FaceBlobKey is null ? ConversationStep.AwaitingFace : ConversationStep.AwaitingTarget;
                reply = fetched?.Refusal;
            }

            reply ??= user.Step == ConversationStep.AwaitingTarget ? texts["SendNewTarget"] : texts["SendFaceFirst"];
        }
        else if (data == ConversationKeyboards.NewFace)
        {
            user.Step = ConversationStep.AwaitingFace;
            reply = texts["SendNewFace"];
        }
        else if (data.StartsWith(ConversationKeyboards.AsFilePrefix, StringComparison.Ordinal))
        {
            await SendAsFileAsync(user, texts, data[ConversationKeyboards.AsFilePrefix.Length..], cancellationToken);
        }
        else if (data.StartsWith(ConversationKeyboards.UseFacePrefix, StringComparison.Ordinal) &&
                 long.TryParse(data[ConversationKeyboards.UseFacePrefix.Length..], out var useId) &&
                 await db.SavedFaces.SingleOrDefaultAsync(f => f.Id == useId && f.UserId == user.Id, cancellationToken) is { } chosen)
        {
            // Refused (limits tightened since it was saved, or Telegram no longer serves it), the current face stays.
            var fetched = await photos.TakeAsync(user, new TelegramPhoto(chosen.FileId), texts, cancellationToken);
            if (fetched.BlobKey is { } faceKey)
            {
                user.FaceBlobKey = faceKey;
                user.FaceFileId = chosen.FileId;
                user.Step = ConversationStep.AwaitingTarget;
            }

            reply = fetched.Refusal ?? texts.Format("FaceChosen", chosen.Name);
        }
        else if (data.StartsWith(ConversationKeyboards.DeleteFacePrefix, StringComparison.Ordinal) &&
                 long.TryParse(data[ConversationKeyboards.DeleteFacePrefix.Length..], out var deleteId) &&
                 await db.SavedFaces.SingleOrDefaultAsync(f => f.Id == deleteId && f.UserId == user.Id, cancellationToken) is { } doomed)
        {
            db.SavedFaces.Remove(doomed);
            reply = texts.Format("FaceDeleted", doomed.Name);
        }
        else if (data.StartsWith(ConversationKeyboards.PickFacePrefix, StringComparison.Ordinal))
        {
            await messenger.AnswerCallbackAsync(query.Id, null, cancellationToken);
            await PickFaceAsync(user, texts, data[ConversationKeyboards.PickFacePrefix.Length..], cancellationToken);
            return;
        }
        else if (data == ConversationKeyboards.DeleteDataYes)
        {
            await eraser.EraseAsync(user, cancellationToken);
            reply = texts.Format("Deleted", backups.Value.KeepDailyDays);
        }
        else if (data == ConversationKeyboards.DeleteDataNo)
        {
            reply = texts["DeleteCancelled"];
        }
        else if (data.StartsWith(PaymentKeyboards.BuyPrefix, StringComparison.Ordinal))
        {
            await payments.HandleBuyButtonAsync(user, texts, data, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await messenger.AnswerCallbackAsync(query.Id, null, cancellationToken);
        if (reply is not null)
        {
            await messenger.SendTextAsync(chatId, reply, cancellationToken: cancellationToken);
        }
    }

    /// <summary>The answer to "which face?": the same job, paid once, queued again for that face or all of them.</summary>
    private async Task PickFaceAsync(BotUser user, BotTexts texts, string choice, CancellationToken cancellationToken)
    {
        var parts = choice.Split(':', 2);
        var job = parts.Length == 2
            ? await db.Jobs.SingleOrDefaultAsync(j => j.Id == parts[0] && j.UserId == user.Id && j.Status == JobStatus.AwaitingChoice, cancellationToken)
            : null;
        TargetFaceSelection? selection = parts.Length < 2 ? null
            : parts[1] == ConversationKeyboards.PickAll ? TargetFaceSelection.AllFaces
            : int.TryParse(parts[1], out var index) && index >= 0 ? TargetFaceSelection.At(index)
            : null;
        if (job is null || selection is null)
        {
            return; // an old or foreign button: nothing to do
        }

        if (await lifecycle.RequeueAsync(job, selection, cancellationToken))
        {
            var status = await messenger.SendTextAsync(user.ChatId, texts.Format("Queued", 1), cancellationToken: cancellationToken);
            job.StatusMessageId = status.MessageId;
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private async Task SendAsFileAsync(BotUser user, BotTexts texts, string jobId, CancellationToken cancellationToken)
    {
        var job = await db.Jobs.SingleOrDefaultAsync(j => j.Id == jobId && j.UserId == user.Id, cancellationToken);
        var resultKey = job is null ? null : QueueNames.ResultBlobKey(job.Id);
        var image = resultKey is null ? null : await blobs.GetAsync(resultKey, cancellationToken);
        if (image is null)
        {
            await messenger.SendTextAsync(user.ChatId, texts["Reason_InputExpired"], cancellationToken: cancellationToken);
            return;
        }

        await messenger.SendDocumentAsync(user.ChatId, image, $"faceswap-{jobId[..8]}.jpg", cancellationToken);
    }
}
