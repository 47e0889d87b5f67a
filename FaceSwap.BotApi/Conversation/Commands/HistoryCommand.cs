using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Telegram;
using Microsoft.EntityFrameworkCore;

namespace FaceSwap.BotApi.Conversation.Commands;

/// <summary>/history: the user's last ten swaps.</summary>
public sealed class HistoryCommand(FaceSwapDbContext db, BotMessenger messenger)
{
    public async Task HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var (user, texts) = (request.User, request.Texts);
        var recent = await db.Jobs.Where(j => j.UserId == user.Id && j.Status != JobStatus.AwaitingChoice && j.Status != JobStatus.Superseded)
            .OrderByDescending(j => j.CreatedAt).Take(10).ToListAsync(cancellationToken);
        var reply = recent.Count == 0
            ? texts["HistoryEmpty"]
            : texts["HistoryHeader"] + "\n" + string.Join('\n', recent.Select(j =>
                $"{j.CreatedAt:yyyy-MM-dd HH:mm} UTC — {j.Status}{(j.FailureReason is { } reason ? $" ({reason})" : "")}"));
        await messenger.SendTextAsync(user.ChatId, reply, cancellationToken: cancellationToken);
    }
}
