using FaceSwap.BotApi.Conversation;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Telegram;
using Microsoft.EntityFrameworkCore;

namespace FaceSwap.BotApi.Moderation;

/// <summary>Operators' bans: a banned user is told once, then nothing they send is processed.</summary>
public sealed class UserBans(FaceSwapDbContext db, ModerationLog log, BotMessenger messenger, TimeProvider time)
{
    /// <summary>True when the user is banned (and so the update stops here); the first time, they get one notice.</summary>
    public async Task<bool> StopIfBannedAsync(BotUser user, BotTexts texts, CancellationToken cancellationToken)
    {
        if (user.BannedAt is null)
        {
            return false;
        }

        if (user.BanNoticeSentAt is null)
        {
            user.BanNoticeSentAt = time.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
            await messenger.SendTextAsync(user.ChatId, texts["Banned"], cancellationToken: cancellationToken);
        }

        return true;
    }

    /// <summary>Bans a user; null when no such user is known.</summary>
    public async Task<BotUser?> BanAsync(long userId, long operatorId, string? reason, CancellationToken cancellationToken)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return null;
        }

        if (user.BannedAt is null)
        {
            user.BannedAt = time.GetUtcNow();
            user.BanReason = reason;
            user.BanNoticeSentAt = null;
            await log.AddAsync(userId, ModerationAction.Banned, operatorId, null, reason, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }

        return user;
    }

    /// <summary>Lifts a ban; false when the user is unknown or not banned.</summary>
    public async Task<bool> UnbanAsync(long userId, long operatorId, CancellationToken cancellationToken)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user?.BannedAt is null)
        {
            return false;
        }

        user.BannedAt = null;
        user.BanReason = null;
        user.BanNoticeSentAt = null;
        await log.AddAsync(userId, ModerationAction.Unbanned, operatorId, null, null, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
