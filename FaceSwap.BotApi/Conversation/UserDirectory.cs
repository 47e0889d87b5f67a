using FaceSwap.BotApi.Credits;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Telegram.Bot.Types;

namespace FaceSwap.BotApi.Conversation;

/// <summary>Finds or creates the bot's record of a Telegram user; the first start grants the free credits.</summary>
public sealed class UserDirectory(FaceSwapDbContext db, CreditLedger ledger, IOptions<SwapLimitsOptions> limits, TimeProvider time)
{
    public async Task<(BotUser User, bool IsNew)> GetOrCreateAsync(User from, long chatId, CancellationToken cancellationToken)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == from.Id, cancellationToken);
        var isNew = user is null;
        if (user is null)
        {
            user = new BotUser { Id = from.Id, ChatId = chatId, CreatedAt = time.GetUtcNow() };
            db.Users.Add(user);
        }

        user.FirstName = from.FirstName;
        user.LanguageCode = from.LanguageCode;
        user.UnreachableSince = null; // they wrote (or pressed a button), so Telegram delivers to them again
        await db.SaveChangesAsync(cancellationToken);

        if (isNew && limits.Value.FreeCredits > 0)
        {
            await ledger.CreditAsync(user.Id, limits.Value.FreeCredits, CreditEntryKind.Grant, $"grant:welcome:{user.Id}", cancellationToken);
        }

        return (user, isNew);
    }
}
