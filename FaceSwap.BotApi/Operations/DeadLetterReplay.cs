using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Inbox;
using FaceSwap.Contracts;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace FaceSwap.BotApi.Operations;

/// <summary>What a replay did: the updates put back in the inbox, and the stream dead letters left where they are.</summary>
public sealed record DeadLettersReplayed(int UpdatesReplayed, long JobDeadLetters, long ResultDeadLetters);

/// <summary>
/// Gives the inbox's given-up updates (<see cref="InboxStatus.Failed"/>) another try: pending again, attempts reset, due
/// now, and the inbox worker woken. The Redis dead-letter streams (<see cref="QueueNames.DeadLetter"/>,
/// <see cref="QueueNames.ResultsDeadLetter"/>) are only counted: their jobs were already failed, refunded and the user
/// told, so running them again would deliver a swap the user got their credit back for.
/// </summary>
public sealed class DeadLetterReplay(FaceSwapDbContext db, WakeSignal<InboxWorker> inboxWorker, IConnectionMultiplexer redis, TimeProvider time)
{
    public async Task<DeadLettersReplayed> ReplayAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var replayed = await db.InboxUpdates.Where(u => u.Status == InboxStatus.Failed)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.Status, InboxStatus.Pending).SetProperty(u => u.Attempts, 0)
                .SetProperty(u => u.NextAttemptAt, now).SetProperty(u => u.HandledAt, (DateTimeOffset?)null), cancellationToken);
        if (replayed > 0)
        {
            inboxWorker.Notify();
        }

        var database = redis.GetDatabase();
        return new DeadLettersReplayed(replayed, await LengthAsync(database, QueueNames.DeadLetter), await LengthAsync(database, QueueNames.ResultsDeadLetter));
    }

    private static async Task<long> LengthAsync(IDatabase database, string stream)
    {
        try
        {
            return await database.StreamLengthAsync(stream);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return -1; // Redis is down: the replay of the inbox (SQLite) still happened; the count is unknown.
        }
    }
}
