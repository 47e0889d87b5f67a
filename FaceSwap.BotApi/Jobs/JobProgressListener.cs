using System.Threading.Channels;
using FaceSwap.BotApi.Conversation;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Data.Leases;
using FaceSwap.BotApi.Telegram;
using FaceSwap.Contracts;
using FaceSwap.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace FaceSwap.BotApi.Jobs;

/// <summary>
/// Marks a job running and edits its status message from "queued" to "processing" when a processor says it started.
/// Progress only: pub/sub may lose a message, and then the job goes from dispatched straight to its result.
/// Every replica hears each message (pub/sub); only the holder of the <see cref="LeaderJobs.JobProgress"/> lease acts
/// on it, so a status message is edited once, not once per replica.
/// </summary>
public sealed class JobProgressListener(IConnectionMultiplexer redis, IServiceScopeFactory scopeFactory, LeaseStore leases, TimeProvider time,
    ILogger<JobProgressListener> logger) : BackgroundService
{
    // Subscribing while Redis is down: 2 s, doubling up to 30 s.
    private readonly LoopBackoff _backoff = new(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30), time);

    private readonly Channel<string> _started = Channel.CreateBounded<string>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await _backoff.Pipeline((ex, attempt, delay) => logger.LogWarning(ex, "Could not subscribe to job progress (attempt {Attempt}); retrying in {Delay}", attempt, delay))
            .ExecuteAsync(async ct => await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(QueueNames.JobStarted),
                (_, jobId) => _started.Writer.TryWrite(jobId.ToString())), stoppingToken);

        await foreach (var jobId in _started.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                if (await leases.TryLeadAsync(LeaderJobs.JobProgress, TimeSpan.Zero, stoppingToken))
                {
                    await MarkProcessingAsync(jobId, stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogDebug(ex, "Could not show progress of job {JobId}", jobId);
            }
        }
    }

    private async Task MarkProcessingAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FaceSwapDbContext>();
        var job = await db.Jobs.SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        if (job is null || !await scope.ServiceProvider.GetRequiredService<SwapJobLifecycle>().MarkRunningAsync(job, cancellationToken) ||
            job is not { DeliveredAt: null, StatusMessageId: { } messageId })
        {
            return;
        }

        var language = await db.Users.Where(u => u.Id == job.UserId).Select(u => u.LanguageCode).SingleOrDefaultAsync(cancellationToken);
        await scope.ServiceProvider.GetRequiredService<BotMessenger>()
            .EditTextAsync(job.ChatId, messageId, new BotTexts(language)["Processing"], cancellationToken);
    }
}
