using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Operations.Health;

/// <summary>
/// Health check <c>sqlite</c>: a query on every probe (Unhealthy when it fails, Degraded when slower than
/// <c>Health:SqliteDegradedLatency</c>), and <c>PRAGMA integrity_check</c> every <c>Health:SqliteIntegrityInterval</c>
/// (Unhealthy when it finds damage). The integrity check reads the whole file (about 20 s for 1.2 GB here), so it
/// runs in the background and probes report its latest result: readiness never waits for it. One instance serves
/// every probe (registered as a singleton), so the result is kept between them.
/// </summary>
public sealed class SqliteHealthCheck(string connectionString, IOptions<HealthThresholds> thresholds, TimeProvider time,
    ILogger<SqliteHealthCheck>? logger = null) : IHealthCheck
{
    private const string Pending = "pending: the first check is running";
    private readonly Lock _integrityGate = new();
    private DateTimeOffset _integrityCheckedAt = DateTimeOffset.MinValue;
    private string _integrity = Pending;
    private Task? _integrityRun;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            var watch = Stopwatch.StartNew();
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT count(*) FROM sqlite_master";
                await command.ExecuteScalarAsync(cancellationToken);
            }

            var latency = watch.Elapsed;
            var (integrity, checkedAt, running) = Integrity();
            var data = new Dictionary<string, object>
            {
                ["latencyMs"] = Math.Round(latency.TotalMilliseconds, 2),
                ["integrity"] = integrity,
                ["integrityCheckedAt"] = checkedAt.ToString("O"),
                ["integrityRunning"] = running,
            };
            if (integrity is not ("ok" or Pending))
            {
                return HealthCheckResult.Unhealthy($"integrity_check: {integrity}", data: data);
            }

            return latency >= thresholds.Value.SqliteDegradedLatency
                ? HealthCheckResult.Degraded($"Query took {latency.TotalMilliseconds:F0} ms", data: data)
                : HealthCheckResult.Healthy("Query and integrity check fine", data);
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException or IOException)
        {
            return HealthCheckResult.Unhealthy("Database not usable: " + ex.Message, ex);
        }
    }

    /// <summary>
    /// The latest integrity result; starts a new check in the background when it is older than the interval.
    /// <c>running</c> tells whether a check is under way (an operator sees a long one; a test sees none was started).
    /// A run clears itself under the same lock as it records its result, so a finished run never looks running.
    /// </summary>
    private (string Result, DateTimeOffset CheckedAt, bool Running) Integrity()
    {
        lock (_integrityGate)
        {
            if (time.GetUtcNow() - _integrityCheckedAt >= thresholds.Value.SqliteIntegrityInterval && _integrityRun is not { IsCompleted: false })
            {
                _integrityRun = Task.Run(RunIntegrityCheckAsync);
            }

            return (_integrity, _integrityCheckedAt, _integrityRun is { IsCompleted: false });
        }
    }

    private async Task RunIntegrityCheckAsync()
    {
        string result;
        try
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync();
            result = await SqliteIntegrity.CheckAsync(connection, CancellationToken.None);
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException or IOException)
        {
            result = "integrity check failed: " + ex.Message;
        }

        if (result != "ok")
        {
            logger?.LogError("SQLite integrity check: {Result}", result);
        }

        lock (_integrityGate)
        {
            (_integrity, _integrityCheckedAt, _integrityRun) = (result, time.GetUtcNow(), null);
        }
    }
}
