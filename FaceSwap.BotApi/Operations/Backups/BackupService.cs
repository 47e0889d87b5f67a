using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Operations.Backups;

/// <summary>What the backup health check and the metric read.</summary>
public sealed class BackupState(TimeProvider time, FaceSwapMetrics metrics)
{
    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();
    public DateTimeOffset? LastSuccess { get; private set; }
    public string? LastSnapshot { get; private set; }
    public string? LastError { get; private set; }

    public void Succeeded(string snapshot, DateTimeOffset at)
    {
        (LastSuccess, LastSnapshot, LastError) = (at, snapshot, null);
        metrics.SetLastBackup(at);
    }

    public void Failed(string error) => LastError = error;
}

/// <summary>
/// Takes a verified snapshot every <c>Backups:Interval</c> into <c>Backups:Directory</c> and applies retention.
/// The schedule continues from the newest existing snapshot, so frequent restarts do not skip backups.
/// </summary>
public sealed class BackupService(IOptions<BackupOptions> options, BackupTaker taker, BackupState state, TimeProvider time,
    ILogger<BackupService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            logger.LogWarning("Backups are disabled (Backups:Enabled=false)");
            return;
        }

        if (SqliteBackup.List(taker.Directory).FirstOrDefault() is { Path: not null } newest)
        {
            state.Succeeded(newest.Path, newest.TakenAt);
        }

        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var due = (state.LastSuccess ?? DateTimeOffset.MinValue) + settings.Interval;
            var wait = failures > 0 ? TimeSpan.FromMinutes(Math.Min(15, failures)) : due - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, stoppingToken);
            }

            try
            {
                var taken = await taker.TakeAsync(stoppingToken);
                failures = 0;
                logger.LogInformation("Database snapshot {Snapshot} written and verified", taken.FileName);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failures++;
                logger.LogError(ex, "Database snapshot failed (attempt {Attempt}); retrying", failures);
            }
        }
    }

    public static string BackupDirectory(BackupOptions options, string connectionString) =>
        string.IsNullOrWhiteSpace(options.Directory) ? SqliteBackup.DefaultDirectory(connectionString) : options.Directory;
}
