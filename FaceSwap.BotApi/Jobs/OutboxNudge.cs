using FaceSwap.BotApi.Data.Leases;
using StackExchange.Redis;

namespace FaceSwap.BotApi.Jobs;

/// <summary>
/// Wakes the outbox dispatcher wherever it runs once a job is committed to the outbox: this replica's at once
/// through its <see cref="WakeSignal{TWorker}"/>, and, with several replicas (leases on), the leader on another one
/// through a Redis channel. Only the leader dispatches, so without the channel a job queued on a standby replica waited
/// for the leader's fallback poll (up to 2 s; the end-to-end p50 with 2 replicas in docs/benchmarks.md). Best effort:
/// while Redis is down the job waits in the outbox anyway and the poll finds it.
/// </summary>
public sealed class OutboxNudge(WakeSignal<JobDispatcher> local, IConnectionMultiplexer redis, LeaseStore leases, ILogger<OutboxNudge> logger)
{
    /// <summary>The channel; its message is the publishing replica's id, so a leader skips its own nudges.</summary>
    public const string Channel = "faceswap:outbox:nudge";

    public void Notify()
    {
        local.Notify();
        if (!leases.On)
        {
            return; // one replica: the local signal reached the only dispatcher
        }

        try
        {
            redis.GetSubscriber().Publish(RedisChannel.Literal(Channel), leases.Owner, CommandFlags.FireAndForget);
        }
        catch (RedisException ex)
        {
            logger.LogDebug(ex, "Could not nudge the other replicas' dispatcher; its poll will find the job");
        }
    }

    /// <summary>
    /// Wakes <paramref name="local"/> on other replicas' nudges from now on (StackExchange.Redis subscribes again
    /// after a reconnect). Throws while Redis is unreachable; the dispatcher tries again on its next turn.
    /// </summary>
    public Task ListenAsync() =>
        redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(Channel), (_, from) =>
        {
            if (from != leases.Owner)
            {
                local.Notify();
            }
        });
}
