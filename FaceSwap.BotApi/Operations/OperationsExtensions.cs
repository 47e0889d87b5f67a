using System.Threading.RateLimiting;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Media;
using FaceSwap.BotApi.Operations.Alerts;
using FaceSwap.BotApi.Operations.Backups;
using FaceSwap.BotApi.Operations.Health;
using FaceSwap.BotApi.Operations.Status;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Telegram.Bot;

namespace FaceSwap.BotApi.Operations;

/// <summary>Health checks, backups, alerts, status page, signed media and the rate limits of the bot API.</summary>
public static class OperationsExtensions
{
    public const string PublicRateLimit = "public";
    public const string WebhookRateLimit = "webhook";

    public static IHostApplicationBuilder AddOperations(this IHostApplicationBuilder builder, string connectionString)
    {
        var services = builder.Services;
        services.AddValidatedOptions<HealthThresholds>(HealthThresholds.SectionName);
        services.AddValidatedOptions<BackupOptions>(BackupOptions.SectionName);
        services.AddValidatedOptions<OpsOptions>(OpsOptions.SectionName);
        services.AddValidatedOptions<StatusOptions>(StatusOptions.SectionName);
        services.AddValidatedOptions<RateLimitOptions>(RateLimitOptions.SectionName);
        services.AddValidatedOptions<MediaOptions>(MediaOptions.SectionName);

        // Checks. Non-critical ones are reported (details, alerts, status page) but do not make the webhook unready.
        var critical = Array.Empty<string>();
        string[] nonCritical = [ServiceDefaultsExtensions.NonCriticalTag];
        var checks = services.AddHealthChecks();
        if (DatabaseOptions.PostgresSelected(builder.Configuration))
        {
            // The server keeps its own disk, integrity and backups (point-in-time restore): only reachability is ours.
            checks.AddNpgSql(connectionString, name: "postgres", tags: critical, timeout: TimeSpan.FromSeconds(5));
        }
        else
        {
            AddSqliteChecksAndBackups(services, checks, connectionString, critical, nonCritical);
        }

        checks
            // The inbox and outbox keep working without Redis (jobs wait in the database), so Redis does not gate readiness.
            .AddCheck<RedisPingHealthCheck>("redis", tags: nonCritical)
            .AddCheck<JobBacklogHealthCheck>("backlog", tags: nonCritical)
            .AddCheck<ProcessorsAliveHealthCheck>("processors", tags: nonCritical)
            // Failure rates as a check, so the alerter (which watches checks) alerts on the key metrics too.
            .AddCheck<ErrorRatesHealthCheck>("error-rates", tags: nonCritical)
            .Add(new("telegram", sp => new TelegramHealthCheck(ct => sp.GetRequiredService<ITelegramBotClient>().GetMe(ct),
                sp.GetRequiredService<IOptions<HealthThresholds>>(), sp.GetRequiredService<TimeProvider>()), null, nonCritical));
        // The client library's own check would make Redis gate readiness again; "redis" above reports it instead.
        services.Configure<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckServiceOptions>(options =>
        {
            foreach (var registration in options.Registrations.Where(r => r.Name.Contains("Redis", StringComparison.Ordinal) && r.Name != "redis"))
            {
                registration.Tags.Add(ServiceDefaultsExtensions.NonCriticalTag);
            }
        });

        services.AddSingleton<ErrorRatesHealthCheck>();

        services.AddSingleton<IAlertSink, TelegramAlertSink>();
        services.AddHostedService<OperationsAlerter>();

        services.AddSingleton<StatusReports>();
        services.AddHostedService<UptimeSampler>();

        services.AddSingleton<MediaUrlSigner>();
        services.AddSingleton<IntakeSwitch>();
        services.AddScoped<DeadLetterReplay>();

        AddRateLimits(builder.Services);
        return builder;
    }

    /// <summary>The SQLite file's checks (latency and integrity, its disk) and its VACUUM INTO backups with their own checks.</summary>
    private static void AddSqliteChecksAndBackups(IServiceCollection services, IHealthChecksBuilder checks, string connectionString,
        string[] critical, string[] nonCritical)
    {
        var databaseDirectory = Path.GetDirectoryName(Path.GetFullPath(SqliteBackup.DatabasePathOf(connectionString))) ?? ".";
        checks
            // Health checks registered with a factory are created anew for every probe; this one keeps its integrity result.
            .Add(new("sqlite", sp => sp.GetRequiredService<SqliteHealthCheck>(), null, critical))
            .Add(new("disk", sp => new DiskSpaceHealthCheck([databaseDirectory], sp.GetRequiredService<IOptions<HealthThresholds>>()), null, critical))
            // A full backup disk stops snapshots, not updates: reported and alerted, but it must not take the bot offline.
            .Add(new("backup-disk", sp => new DiskSpaceHealthCheck([BackupService.BackupDirectory(sp.GetRequiredService<IOptions<BackupOptions>>().Value, connectionString)], sp.GetRequiredService<IOptions<HealthThresholds>>()), null, nonCritical))
            .AddCheck<BackupFreshnessHealthCheck>("backup", tags: nonCritical);
        services.AddSingleton(sp => new SqliteHealthCheck(connectionString, sp.GetRequiredService<IOptions<HealthThresholds>>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SqliteHealthCheck>>()));
        services.AddSingleton<BackupState>();
        services.AddSingleton<BackupTaker>();
        services.AddHostedService<BackupService>();
    }

    /// <summary>The bot API's own limits; the cross-cutting hardening (body limit, forwarded headers, HSTS, errors) is ServiceDefaults' AddHttpHardening.</summary>
    private static void AddRateLimits(IServiceCollection services)
    {
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Tell the client when to come back (the status code pages write the ProblemDetails body after this).
            options.OnRejected = (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                return ValueTask.CompletedTask;
            };
            options.AddPolicy(PublicRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(ClientOf(context),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = LimitsOf(context).PublicPerMinute, Window = TimeSpan.FromMinutes(1) }));
            options.AddPolicy(WebhookRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(ClientOf(context),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = LimitsOf(context).WebhookPerSecond, Window = TimeSpan.FromSeconds(1) }));
        });
    }

    private static RateLimitOptions LimitsOf(HttpContext context) => context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;

    private static string ClientOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>The rate limits, after UseHttpHardening: a limit applies to the client's address as the ingress reports it, and its 429 is ProblemDetails.</summary>
    public static WebApplication UseOperations(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    public static WebApplication MapOperationsApi(this WebApplication app)
    {
        app.MapStatusPage().RequireRateLimiting(PublicRateLimit);
        app.MapMediaApi().RequireRateLimiting(PublicRateLimit);
        app.MapOpsApi().RequireRateLimiting(PublicRateLimit);
        return app;
    }
}
