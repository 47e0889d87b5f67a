using System.Globalization;
using FaceSwap.BotApi.Conversation;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Payments;
using FaceSwap.BotApi.Telegram;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Moderation;

/// <summary>/report for everyone; /ban and /unban for the operators (<c>Payments:AdminUserIds</c>).</summary>
public sealed class ModerationCommands(ContentReports reports, UserBans bans, BotMessenger messenger, IOptions<PaymentsOptions> admins)
{
    /// <summary>Handles the command if it is one of these; false leaves it to the rest of the conversation.</summary>
    public async Task<bool> TryHandleAsync(BotUser user, BotTexts texts, string command, string? argument, CancellationToken cancellationToken)
    {
        switch (command)
        {
            case "/report":
                await reports.ReportAsync(user, texts, null, argument, cancellationToken);
                return true;
            // Not operators fall through: the conversation answers "unknown command", revealing nothing.
            case "/ban" when admins.Value.IsAdmin(user.Id):
                await BanAsync(user, argument, cancellationToken);
                return true;
            case "/unban" when admins.Value.IsAdmin(user.Id):
                await UnbanAsync(user, argument, cancellationToken);
                return true;
            default:
                return false;
        }
    }

    // Operator replies are in English: the operators' chat is not localised, like the alerts.
    private async Task BanAsync(BotUser admin, string? argument, CancellationToken cancellationToken)
    {
        var parts = (argument ?? "").Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string reply;
        if (parts.Length == 0 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var userId))
        {
            reply = "Usage: /ban <user id> [reason]";
        }
        else if (userId == admin.Id)
        {
            reply = "You cannot ban yourself.";
        }
        else
        {
            var reason = parts.Length > 1 ? parts[1] : null;
            reply = await bans.BanAsync(userId, admin.Id, reason, cancellationToken) is null
                ? $"No user {userId} is known."
                : $"User {userId} is banned{(reason is null ? "" : $" ({reason})")}. /unban {userId} lifts it.";
        }

        await messenger.SendTextAsync(admin.ChatId, reply, cancellationToken: cancellationToken);
    }

    private async Task UnbanAsync(BotUser admin, string? argument, CancellationToken cancellationToken)
    {
        var reply = !long.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var userId)
            ? "Usage: /unban <user id>"
            : await bans.UnbanAsync(userId, admin.Id, cancellationToken)
                ? $"User {userId} is no longer banned."
                : $"User {userId} is not banned.";
        await messenger.SendTextAsync(admin.ChatId, reply, cancellationToken: cancellationToken);
    }
}
