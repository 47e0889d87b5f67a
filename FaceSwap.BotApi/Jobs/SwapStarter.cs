using FaceSwap.BotApi.Conversation;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Telegram;
using FaceSwap.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Telegram.Bot.Types.Enums;

namespace FaceSwap.BotApi.Jobs;

/// <summary>Queues a swap and tells the user where it stands, or why it cannot start.</summary>
public sealed class SwapStarter(FaceSwapDbContext db, JobQueue jobs, BotMessenger messenger, IOptions<SwapLimitsOptions> limits)
{
    public async Task StartAsync(BotUser user, BotTexts texts, string faceBlobKey, string targetBlobKey, TargetFaceSelection selection,
        bool askWhenSeveralFaces, CancellationToken cancellationToken)
    {
        var result = await jobs.EnqueueAsync(user, faceBlobKey, targetBlobKey, selection, askWhenSeveralFaces, cancellationToken);
        switch (result.Outcome)
        {
            case EnqueueOutcome.AlreadyRunning:
                await messenger.SendTextAsync(user.ChatId, texts["AlreadyRunning"], cancellationToken: cancellationToken);
                return;
            case EnqueueOutcome.HourlyLimit:
                await messenger.SendTextAsync(user.ChatId, texts.Format("HourlyLimit", limits.Value.MaxPerHour), cancellationToken: cancellationToken);
                return;
            case EnqueueOutcome.NoCredits:
                await messenger.SendTextAsync(user.ChatId, texts["NoCredits"], cancellationToken: cancellationToken);
                return;
        }

        var job = result.Job!;
        if (result.Outcome == EnqueueOutcome.AlreadyCreated && job.StatusMessageId is not null)
        {
            return; // the first attempt got as far as telling the user; only the unfinished part is redone
        }

        var status = await messenger.SendTextAsync(user.ChatId, texts.Format("Queued", result.Position), cancellationToken: cancellationToken);
        await db.Jobs.Where(j => j.Id == job.Id && j.StatusMessageId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.StatusMessageId, status.MessageId), cancellationToken);
        await messenger.ShowActionAsync(user.ChatId, ChatAction.UploadPhoto, cancellationToken);
    }

}
