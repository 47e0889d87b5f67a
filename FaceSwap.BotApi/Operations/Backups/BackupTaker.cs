using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Operations.Backups;

/// <summary>What one backup wrote: the snapshot's file name, its size, and whether it passed its integrity check.</summary>
public sealed record BackupTaken(string FileName, long SizeBytes, bool Verified, DateTimeOffset TakenAt, int Pruned);

/// <summary>
/// Takes one verified snapshot, records it and applies retention. The schedule (<see cref="BackupService"/>) and the
/// operator's "back up now" (<c>POST /ops/backups</c>) both run this, one at a time.
/// </summary>
public sealed class BackupTaker(IConfiguration configuration, IOptions<BackupOptions> options, BackupState state, TimeProvider time)
{
    private readonly SemaphoreSlim _one = new(1, 1);

    public string Directory => BackupService.BackupDirectory(options.Value, configuration.GetConnectionString("faceswapdb")!);

    public async Task<BackupTaken> TakeAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await _one.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            // CreateAsync verifies before it names the file, so a snapshot it returns has passed the check.
            var snapshot = await SqliteBackup.CreateAsync(configuration.GetConnectionString("faceswapdb")!, Directory, now, cancellationToken);
            state.Succeeded(snapshot, now);
            var pruned = SqliteBackup.SelectForDeletion(SqliteBackup.List(Directory), now, settings.KeepLatest, settings.KeepDailyDays);
            foreach (var old in pruned)
            {
                File.Delete(old);
            }

            return new BackupTaken(Path.GetFileName(snapshot), new FileInfo(snapshot).Length, Verified: true, now, pruned.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            state.Failed(ex.Message);
            throw;
        }
        finally
        {
            _one.Release();
        }
    }
}
