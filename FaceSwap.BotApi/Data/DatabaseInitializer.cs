using FaceSwap.BotApi.Data.Postgres;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Data;

/// <summary>
/// Applies migrations (and on SQLite the journal mode) before anything else touches the database; readiness waits for
/// it. Registered first, so the inbox writer and the workers start on a migrated database.
/// </summary>
public sealed class DatabaseInitializer(IServiceScopeFactory scopeFactory, IOptions<DatabaseOptions> options,
    ILogger<DatabaseInitializer> logger) : IHostedService, IHealthCheck
{
    private volatile bool _ready;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FaceSwapDbContext>();
        if (options.Value.IsPostgres)
        {
            await MigratePostgresAsync(db, cancellationToken);
        }
        else
        {
            await MigrateSqliteAsync(db, cancellationToken);
        }

        _ready = true;
    }

    private async Task MigrateSqliteAsync(FaceSwapDbContext db, CancellationToken cancellationToken)
    {
        var path = db.Database.GetDbConnection().DataSource;
        if (!string.IsNullOrEmpty(path) && Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }

        await db.Database.MigrateAsync(cancellationToken);
        // PRAGMA takes no parameters; the value is validated against a fixed list above.
#pragma warning disable EF1002
        await db.Database.ExecuteSqlRawAsync($"PRAGMA journal_mode={options.Value.JournalMode};", cancellationToken);
#pragma warning restore EF1002
        logger.LogInformation("Database {Path} migrated; journal mode {JournalMode}", path, options.Value.JournalMode);
    }

    /// <summary>
    /// Several replicas may start at once: the first to take the session advisory lock migrates, the others wait and
    /// then find nothing left to apply. The lock lives on this one connection, held open across MigrateAsync.
    /// </summary>
    private async Task MigratePostgresAsync(FaceSwapDbContext db, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await PostgresAdvisoryLocks.CallAsync(connection, null, "pg_advisory_lock", PostgresAdvisoryLocks.Migrations, cancellationToken);
            try
            {
                var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
                await db.Database.MigrateAsync(cancellationToken);
                logger.LogInformation("PostgreSQL database {Database} on {Host} migrated ({Applied} migrations applied)",
                    connection.Database, connection.DataSource, pending.Count);
            }
            finally
            {
                await PostgresAdvisoryLocks.CallAsync(connection, null, "pg_advisory_unlock", PostgresAdvisoryLocks.Migrations, CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_ready ? HealthCheckResult.Healthy("Migrated") : HealthCheckResult.Unhealthy("Migrations not applied yet"));
}
