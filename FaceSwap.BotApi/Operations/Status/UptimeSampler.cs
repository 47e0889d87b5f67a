using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Data.Leases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Operations.Status;

/// <summary>
/// Writes every component's state to <c>uptime_samples</c> each <c>Status:SampleInterval</c> and forgets samples older
/// than <c>Status:Retention</c>. One replica samples at a time (the <see cref="LeaderJobs.UptimeSampler"/> lease), so the
/// status page's history has one sample per interval.
/// </summary>
public sealed class UptimeSampler(StatusReports reports, IServiceScopeFactory scopeFactory, IOptions<StatusOptions> options, LeaseStore leases, TimeProvider time,
    ILogger<UptimeSampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await leases.TryLeadAsync(LeaderJobs.UptimeSampler, options.Value.SampleInterval, stoppingToken))
                {
                    await Task.Delay(options.Value.SampleInterval, time, stoppingToken);
                    continue;
                }

                var report = await reports.CurrentAsync(stoppingToken);
                var now = time.GetUtcNow();
                await using var scope = scopeFactory.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<FaceSwapDbContext>();
                db.Set<UptimeSample>().AddRange(report.Entries.Where(e => StatusPage.IsComponent(e.Key))
                    .Select(e => new UptimeSample { Component = e.Key, SampledAt = now, Status = e.Value.Status }));
                await db.SaveChangesAsync(stoppingToken);
                var cutoff = now - options.Value.Retention;
                await db.Set<UptimeSample>().Where(s => s.SampledAt < cutoff).ExecuteDeleteAsync(stoppingToken);
                await Task.Delay(options.Value.SampleInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Uptime sample not written; retrying");
                await Task.Delay(options.Value.SampleInterval, time, stoppingToken);
            }
        }
    }
}
