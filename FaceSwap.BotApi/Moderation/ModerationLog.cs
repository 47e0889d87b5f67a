using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Inbox;
using Microsoft.EntityFrameworkCore;

namespace FaceSwap.BotApi.Moderation;

/// <summary>Writes the moderation log, once per update and action.</summary>
public sealed class ModerationLog(FaceSwapDbContext db, CurrentUpdate currentUpdate, TimeProvider time)
{
    /// <summary>Adds a line (saved with the context's other changes); false when this update already logged it.</summary>
    public async Task<bool> AddAsync(long userId, ModerationAction action, long actorId, string? jobId, string? details,
        CancellationToken cancellationToken)
    {
        // Keyed on the update, so an update handled again after a crash does not report or ban twice.
        var reference = currentUpdate.UpdateId is { } updateId
            ? $"update:{updateId}:{action}"
            : $"{action}:{Guid.NewGuid():N}";
        if (await db.Set<ModerationEntry>().AnyAsync(e => e.Reference == reference, cancellationToken))
        {
            return false;
        }

        db.Set<ModerationEntry>().Add(new ModerationEntry
        {
            UserId = userId,
            Action = action,
            ActorId = actorId,
            JobId = jobId,
            Details = details is { Length: > 1024 } ? details[..1024] : details,
            Reference = reference,
            CreatedAt = time.GetUtcNow(),
        });
        return true;
    }
}
