using FaceSwap.BotApi.Data;
using Microsoft.EntityFrameworkCore;

namespace FaceSwap.BotApi.Conversation;

/// <summary>Whether Telegram takes messages to a user: set when it refuses them, cleared when the user writes again.</summary>
public sealed class UserReachability(FaceSwapDbContext db, TimeProvider time, ILogger<UserReachability> logger)
{
    public async Task MarkUnreachableAsync(long chatId, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var changed = await db.Users.Where(u => u.ChatId == chatId && u.UnreachableSince == null)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.UnreachableSince, now), cancellationToken);
        if (changed > 0)
        {
            logger.LogInformation("Chat {ChatId} is unreachable ({Reason}); its results are refunded until the user writes again", chatId, reason);
        }
    }

    public Task MarkReachableAsync(long chatId, CancellationToken cancellationToken) =>
        db.Users.Where(u => u.ChatId == chatId && u.UnreachableSince != null)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.UnreachableSince, (DateTimeOffset?)null), cancellationToken);
}
