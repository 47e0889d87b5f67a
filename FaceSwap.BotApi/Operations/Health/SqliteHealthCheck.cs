using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Operations.Health;

/// <summary>
/// Health check <c>sqlite</c>: a query on every probe (Unhealthy when it fails, Degraded when slower than
/// <c>Health:SqliteDegradedLatency</c>), and <c>PRAGMA integrity_check</c> every <c>Health:SqliteIntegrityInterval</c>
/// (Unhealthy when it finds damage), cached because it reads the whole file.
/// </summary>
public sealed class SqliteHealthCheck(string connectionString, IOptions<HealthThresholds> thresholds, TimeProvider time) : IHealthCheck
{
    private readonly SemaphoreSlim _integrityGate = new(1, 1);
    private DateTimeOffset _integrityCheckedAt = DateTimeOffset.MinValue;
    private string _integrity = "not checked";

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
            var integrity = await IntegrityAsync(connection, cancellationToken);
            var data = new Dictionary<string, object>
            {
                ["latencyMs"] = Math.Round(latency.TotalMilliseconds, 2),
                ["integrity"] = integrity,
                ["integrityCheckedAt"] = _integrityCheckedAt.ToString("O"),
            };
            if (integrity != "ok")
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

    private async Task<string> IntegrityAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() - _integrityCheckedAt < thresholds.Value.SqliteIntegrityInterval)
        {
            return _integrity;
        }

        await _integrityGate.WaitAsync(cancellationToken);
        try
        {
            if (time.GetUtcNow() - _integrityCheckedAt >= thresholds.Value.SqliteIntegrityInterval)
            {
                _integrity = await SqliteIntegrity.CheckAsync(connection, cancellationToken);
                _integrityCheckedAt = time.GetUtcNow();
            }

            return _integrity;
        }
        finally
        {
            _integrityGate.Release();
        }
    }
}

public static class SqliteIntegrity
{
    /// <summary>"ok", or the first problems <c>PRAGMA integrity_check</c> reports.</summary>
    public static async Task<string> CheckAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check(5)";
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join("; ", lines);
    }
}
