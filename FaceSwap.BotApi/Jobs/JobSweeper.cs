using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Data.Leases;
using FaceSwap.Contracts;
using FaceSwap.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FaceSwap.BotApi.Jobs;

/// <summary>
/// Finishes what got stuck, so no user stays locked out with a credit spent: a job on the stream or running past
/// <see cref="JobSweeperOptions.StuckAfter"/> (Redis lost its entry, or no processor took it) goes on the stream again
/// under the same id, up to <see cref="JobSweeperOptions.MaxRedispatches"/> times; then it fails, is refunded, and the
/// user is told through the results stream like any failure. An unanswered "which face?" is refunded after
/// <see cref="JobSweeperOptions.ChoiceExpiresAfter"/>. Jobs still in the outbox are not stuck: they wait for Redis.
/// One replica sweeps at a time (the <see cref="LeaderJobs.JobSweeper"/> lease).
/// </summary>
public sealed class JobSweeper(IServiceScopeFactory scopeFactory, IConnectionMultiplexer redis, IOptions<JobSweeperOptions> options, LeaseStore leases,
    TimeProvider time, Operations.FaceSwapMetrics metrics, ILogger<JobSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.Interval, time, stoppingToken);
                if (await leases.TryLeadAsync(LeaderJobs.JobSweeper, options.Value.Interval, stoppingToken))
                {
                    await SweepAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Sweeping stuck jobs failed; trying again in {Interval}", options.Value.Interval);
            }
        }
    }

    public sealed record SweepReport(int Redispatched, int Failed, int ChoicesExpired);

    /// <summary>One pass over the jobs; each job on its own, so one that cannot be swept does not stop the rest.</summary>
    public async Task<SweepReport> SweepAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var stuckBefore = now - settings.StuckAfter;
        var choiceBefore = now - settings.ChoiceExpiresAfter;
        List<string> stuck, expired;
        await using (var scope = scopeFactory.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FaceSwapDbContext>();
            stuck = await db.Jobs.AsNoTracking()
                .Where(j => (j.Status == JobStatus.Dispatched || j.Status == JobStatus.Running) && j.DispatchedAt < stuckBefore)
                .Select(j => j.Id).ToListAsync(cancellationToken);
            expired = await db.Jobs.AsNoTracking()
                .Where(j => j.Status == JobStatus.AwaitingChoice && j.CompletedAt < choiceBefore)
                .Select(j => j.Id).ToListAsync(cancellationToken);
        }

        int redispatched = 0, failed = 0, choices = 0;
        foreach (var id in stuck)
        {
            try
            {
                await using var scope = scopeFactory.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<FaceSwapDbContext>();
                var lifecycle = scope.ServiceProvider.GetRequiredService<SwapJobLifecycle>();
                var job = await db.Jobs.SingleAsync(j => j.Id == id, cancellationToken);
                if (job.Redispatches < settings.MaxRedispatches)
                {
                    if (await lifecycle.RedispatchAsync(job, cancellationToken))
                    {
                        redispatched++;
                        metrics.JobSwept("redispatched");
                        logger.LogWarning("Job {JobId} was stuck since {DispatchedAt}; dispatched again ({Count} of {Max})",
                            id, stuckBefore, job.Redispatches, settings.MaxRedispatches);
                    }

                    continue;
                }

                if (await lifecycle.FailAsync(job, SwapFailureReason.Stuck, cancellationToken))
                {
                    failed++;
                    metrics.JobSwept("failed");
                    logger.LogError("Job {JobId} stayed stuck after {Count} re-dispatches; failed and refunded", id, job.Redispatches);
                    // The user hears of it like of any failure; a late real result finds the job failed and is ignored.
                    await redis.PublishAsync(QueueNames.Results,
                        new SwapResultMessage(id, SwapOutcome.Failed, null, SwapFailureReason.Stuck, "stuck", 0, 0, 0, job.TraceParent),
                        id, QueueNames.ResultsNudge);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Could not sweep job {JobId}; trying again next pass", id);
            }
        }

        foreach (var id in expired)
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<FaceSwapDbContext>();
            var job = await db.Jobs.SingleAsync(j => j.Id == id, cancellationToken);
            if (await scope.ServiceProvider.GetRequiredService<SwapJobLifecycle>().SupersedeAsync(job, cancellationToken))
            {
                choices++;
                metrics.JobSwept("choice-expired");
            }
        }

        return new SweepReport(redispatched, failed, choices);
    }
}
