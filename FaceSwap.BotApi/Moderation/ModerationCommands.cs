using System.Globalization;
using FaceSwap.BotApi.Conversation.Commands;
using FaceSwap.BotApi.Telegram;

namespace FaceSwap.BotApi.Moderation;

/// <summary>
/// /report for everyone; /ban and /unban for the operators (<c>Payments:AdminUserIds</c>; <see cref="CommandRouter"/>
/// applies that policy).
/// </summary>
public sealed class ModerationCommands(ContentReports reports, UserBans bans, BotMessenger messenger)
{
    public Task ReportAsync(CommandRequest request, CancellationToken cancellationToken) =>
        reports.ReportAsync(request.User, request.Texts, null, request.Argument, cancellationToken);

    // Operator replies are in English: the operators' chat is not localised, like the alerts.
    public async Task BanAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var admin = request.User;
        var parts = (request.Argument ?? "").Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
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

    public async Task UnbanAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var admin = request.User;
        var reply = !long.TryParse(request.Argument, NumberStyles.None, CultureInfo.InvariantCulture, out var userId)
            ? "Usage: /unban <user id>"
            : await bans.UnbanAsync(userId, admin.Id, cancellationToken)
                ? $"User {userId} is no longer banned."
                : $"User {userId} is not banned.";
        await messenger.SendTextAsync(admin.ChatId, reply, cancellationToken: cancellationToken);
    }
}
