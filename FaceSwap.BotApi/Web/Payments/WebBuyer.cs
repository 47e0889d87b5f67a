using System.Globalization;
using System.Security.Claims;
using FaceSwap.BotApi.Conversation;
using FaceSwap.BotApi.Data;
using Microsoft.EntityFrameworkCore;
using TelegramUser = Telegram.Bot.Types.User;

namespace FaceSwap.BotApi.Web.Payments;

/// <summary>The signed-in web user's bot record: claim <see cref="ClaimTypes.NameIdentifier"/> is their Telegram user id.</summary>
public static class WebBuyer
{
    /// <summary>The Telegram user id of the signed-in user; null when the claim is missing or not an id.</summary>
    public static long? UserIdOf(ClaimsPrincipal principal) =>
        long.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : null;

    /// <summary>
    /// The user's row; one who signed in on the web before ever writing to the bot is created as the chat creates
    /// them (<see cref="UserDirectory"/>: the same free credits), with their private chat's id, which is their user id.
    /// An existing row is left as the chat keeps it (its language and reachability are the chat's to update).
    /// </summary>
    public static async Task<BotUser> GetOrCreateAsync(long userId, ClaimsPrincipal principal, FaceSwapDbContext db, UserDirectory users,
        CancellationToken cancellationToken)
    {
        if (await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken) is { } user)
        {
            return user;
        }

        var from = new TelegramUser { Id = userId, FirstName = principal.FindFirstValue(ClaimTypes.GivenName) ?? principal.Identity?.Name ?? "" };
        return (await users.GetOrCreateAsync(from, userId, cancellationToken)).User;
    }
}
