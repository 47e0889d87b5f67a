using FaceSwap.BotApi.Inbox;
using FaceSwap.BotApi.Media;
using FaceSwap.BotApi.Operations;
using FaceSwap.BotApi.Telegram;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Conversation.Commands;

/// <summary>/privacy (what is kept, for how long, as configured) and /deletedata (asks first; the button erases).</summary>
public sealed class PrivacyCommands(BotMessenger messenger, IOptions<BlobOptions> blobs, IOptions<InboxRetentionOptions> retention,
    IOptions<BackupOptions> backups)
{
    public Task PrivacyAsync(CommandRequest request, CancellationToken cancellationToken) =>
        messenger.SendTextAsync(request.User.ChatId, request.Texts.Format("Privacy", (int)blobs.Value.InputTimeToLive.TotalMinutes,
            (int)blobs.Value.ResultTimeToLive.TotalMinutes, (int)retention.Value.RetainFor.TotalDays, backups.Value.KeepDailyDays),
            cancellationToken: cancellationToken);

    public Task DeleteDataAsync(CommandRequest request, CancellationToken cancellationToken) =>
        messenger.SendTextAsync(request.User.ChatId, request.Texts["DeleteConfirm"], ConversationKeyboards.ConfirmDelete(request.Texts), cancellationToken);
}
