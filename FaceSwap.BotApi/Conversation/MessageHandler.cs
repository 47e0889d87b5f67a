using FaceSwap.BotApi.Credits;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Inbox;
using FaceSwap.BotApi.Jobs;
using FaceSwap.BotApi.Media;
using FaceSwap.BotApi.Moderation;
using FaceSwap.BotApi.Operations;
using FaceSwap.BotApi.Payments;
using FaceSwap.BotApi.Telegram;
using FaceSwap.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace FaceSwap.BotApi.Conversation;

/// <summary>The conversation: commands, photos, and what to say to anything else.</summary>
public sealed class MessageHandler(
    FaceSwapDbContext db,
    UserDirectory users,
    CreditLedger ledger,
    SwapStarter swaps,
    PhotoIntake photos,
    BotMessenger messenger,
    PaymentCommands payments,
    TermsOfUse terms,
    UserBans bans,
    ModerationCommands moderation,
    IOptions<SwapLimitsOptions> limits,
    IOptions<BlobOptions> blobOptions,
    IOptions<InboxRetentionOptions> retention,
    IOptions<BackupOptions> backups)
{
    public async Task HandleAsync(Message message, CancellationToken cancellationToken)
    {
        if (message.From is null || message.Chat.Type != ChatType.Private)
        {
            return; // the bot works in private chats only
        }

        var (user, isNew) = await users.GetOrCreateAsync(message.From, message.Chat.Id, cancellationToken);
        var texts = new BotTexts(user.LanguageCode);

        // A banned user is told once, then ignored; but money Telegram reports (a payment, a refund) is always recorded.
        if (message.SuccessfulPayment is null && message.RefundedPayment is null && await bans.StopIfBannedAsync(user, texts, cancellationToken))
        {
            return;
        }

        // Payments: successful/refunded payments, /buy, /balance, and the operators' /grant /refund /stats.
        if (await payments.TryHandleMessageAsync(user, texts, message, cancellationToken))
        {
            return;
        }

        if (message.Text is { } text && text.StartsWith('/'))
        {
            await HandleCommandAsync(user, isNew, texts, text, cancellationToken);
            return;
        }

        if (TelegramPhoto.From(message) is { } photo)
        {
            await HandlePhotoAsync(user, texts, message, photo, cancellationToken);
            return;
        }

        var reply = message.Type is MessageType.Sticker or MessageType.Video or MessageType.Animation or MessageType.VideoNote
            or MessageType.Voice or MessageType.Audio
            ? texts["Unsupported"]
            : message.Document is not null ? texts["NotAnImage"]
            : user.Step == ConversationStep.AwaitingFace ? texts["SendFaceFirst"] : texts["SendPhotoPlease"];
        await messenger.SendTextAsync(user.ChatId, reply, cancellationToken: cancellationToken);
    }

    private async Task HandleCommandAsync(BotUser user, bool isNew, BotTexts texts, string text, CancellationToken cancellationToken)
    {
        var parts = text.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var command = parts[0].Split('@')[0].ToLowerInvariant();
        var argument = parts.Length > 1 ? parts[1] : null;
        var chatId = user.ChatId;

        switch (command)
        {
            case "/start":
                var balance = await ledger.BalanceAsync(user.Id, cancellationToken);
                var welcome = isNew
                    ? texts.Format("Welcome", user.FirstName, limits.Value.FreeCredits)
                    : texts.Format("WelcomeBack", user.FirstName, balance);
                await (terms.HasAccepted(user)
                    ? messenger.SendTextAsync(chatId, welcome, cancellationToken: cancellationToken)
                    : terms.SendAsync(user, texts, welcome, cancellationToken));
                break;
            case "/terms":
                await terms.SendAsync(user, texts, null, cancellationToken);
                break;
            case "/help":
                await messenger.SendTextAsync(chatId, texts["Help"], cancellationToken: cancellationToken);
                break;
            case "/history":
                await SendHistoryAsync(user, texts, cancellationToken);
                break;
            case "/privacy":
                await messenger.SendTextAsync(chatId, texts.Format("Privacy", (int)blobOptions.Value.InputTimeToLive.TotalMinutes,
                    (int)blobOptions.Value.ResultTimeToLive.TotalMinutes, (int)retention.Value.RetainFor.TotalDays, backups.Value.KeepDailyDays),
                    cancellationToken: cancellationToken);
                break;
            case "/deletedata":
                await messenger.SendTextAsync(chatId, texts["DeleteConfirm"], ConversationKeyboards.ConfirmDelete(texts), cancellationToken);
                break;
            case "/paysupport":
                await messenger.SendTextAsync(chatId, texts["PaySupport"], cancellationToken: cancellationToken);
                break;
            case "/faces":
                await SendSavedFacesAsync(user, texts, cancellationToken);
                break;
            case "/saveface":
                await SaveFaceAsync(user, texts, argument, cancellationToken);
                break;
            default:
                if (!await moderation.TryHandleAsync(user, texts, command, argument, cancellationToken))
                {
                    await messenger.SendTextAsync(chatId, texts["UnknownCommand"], cancellationToken: cancellationToken);
                }

                break;
        }
    }

    private async Task HandlePhotoAsync(BotUser user, BotTexts texts, Message message, TelegramPhoto photo, CancellationToken cancellationToken)
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

    private async Task SendHistoryAsync(BotUser user, BotTexts texts, CancellationToken cancellationToken)
    {
        var recent = await db.Jobs.Where(j => j.UserId == user.Id && j.Status != JobStatus.AwaitingChoice && j.Status != JobStatus.Superseded)
            .OrderByDescending(j => j.CreatedAt).Take(10).ToListAsync(cancellationToken);
        var reply = recent.Count == 0
            ? texts["HistoryEmpty"]
            : texts["HistoryHeader"] + "\n" + string.Join('\n', recent.Select(j =>
                $"{j.CreatedAt:yyyy-MM-dd HH:mm} UTC — {j.Status}{(j.FailureReason is { } reason ? $" ({reason})" : "")}"));
        await messenger.SendTextAsync(user.ChatId, reply, cancellationToken: cancellationToken);
    }

    private async Task SendSavedFacesAsync(BotUser user, BotTexts texts, CancellationToken cancellationToken)
    {
        var faces = await db.SavedFaces.Where(f => f.UserId == user.Id).OrderBy(f => f.Name)
            .Select(f => new { f.Id, f.Name }).ToListAsync(cancellationToken);
        if (faces.Count == 0)
        {
            await messenger.SendTextAsync(user.ChatId, texts["FacesEmpty"], cancellationToken: cancellationToken);
            return;
        }

        await messenger.SendTextAsync(user.ChatId, texts["FacesHeader"],
            ConversationKeyboards.SavedFaces(faces.Select(f => (f.Id, f.Name))), cancellationToken);
    }

    private async Task SaveFaceAsync(BotUser user, BotTexts texts, string? name, CancellationToken cancellationToken)
    {
        string reply;
        if (string.IsNullOrWhiteSpace(name) || name.Length > 32)
        {
            reply = texts["FaceSaveName"];
        }
        else if (user.FaceFileId is null)
        {
            reply = texts["FaceSaveNoFace"];
        }
        else if (await db.SavedFaces.CountAsync(f => f.UserId == user.Id, cancellationToken) >= limits.Value.MaxSavedFaces)
        {
            reply = texts.Format("FaceSaveLimit", limits.Value.MaxSavedFaces);
        }
        else
        {
            var existing = await db.SavedFaces.SingleOrDefaultAsync(f => f.UserId == user.Id && f.Name == name, cancellationToken);
            if (existing is null)
            {
                db.SavedFaces.Add(new SavedFace { UserId = user.Id, Name = name, FileId = user.FaceFileId, CreatedAt = DateTimeOffset.UtcNow });
            }
            else
            {
                existing.FileId = user.FaceFileId;
            }

            await db.SaveChangesAsync(cancellationToken);
            reply = texts.Format("FaceSaved", name);
        }

        await messenger.SendTextAsync(user.ChatId, reply, cancellationToken: cancellationToken);
    }
}
