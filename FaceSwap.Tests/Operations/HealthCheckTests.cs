using FaceSwap.BotApi.Operations;
using FaceSwap.BotApi.Operations.Backups;
using FaceSwap.BotApi.Operations.Health;
using FaceSwap.Contracts;
using FaceSwap.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace FaceSwap.Tests.Operations;

/// <summary>Each check's Healthy, Degraded and Unhealthy states, with fakes for time, memory and disk.</summary>
public sealed class HealthCheckTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "faceswap-checks-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    private static IOptions<HealthThresholds> Thresholds(Action<HealthThresholds>? change = null)
    {
        var thresholds = new HealthThresholds();
        change?.Invoke(thresholds);
        return Options.Create(thresholds);
    }

    private static Task<HealthCheckResult> RunAsync(IHealthCheck check) =>
        check.CheckHealthAsync(new HealthCheckContext { Registration = new HealthCheckRegistration("test", check, HealthStatus.Unhealthy, null) });

    private async Task<string> CreateDatabaseAsync()
    {
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".db");
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE t(x); INSERT INTO t VALUES (1);";
        await command.ExecuteNonQueryAsync();
        return $"Data Source={path}";
    }

    [Fact]
    public async Task Sqlite_is_healthy_on_a_sound_database_degraded_when_slow_and_unhealthy_when_not_a_database()
    {
        var connectionString = await CreateDatabaseAsync();
        Assert.Equal(HealthStatus.Healthy, (await RunAsync(new SqliteHealthCheck(connectionString, Thresholds(), _time))).Status);

        var slow = await RunAsync(new SqliteHealthCheck(connectionString, Thresholds(t => t.SqliteDegradedLatency = TimeSpan.Zero), _time));
        Assert.Equal(HealthStatus.Degraded, slow.Status);

        var garbage = Path.Combine(_directory, "garbage.db");
        await File.WriteAllBytesAsync(garbage, Enumerable.Repeat((byte)'x', 8192).ToArray());
        var broken = await RunAsync(new SqliteHealthCheck($"Data Source={garbage}", Thresholds(), _time));
        Assert.Equal(HealthStatus.Unhealthy, broken.Status);
    }

    [Fact]
    public async Task Sqlite_runs_the_integrity_check_once_per_interval()
    {
        var check = new SqliteHealthCheck(await CreateDatabaseAsync(), Thresholds(t => t.SqliteIntegrityInterval = TimeSpan.FromHours(1)), _time);
        // The first probe does not wait for the check: it runs in the background, and a later probe reports it.
        var started = await RunAsync(check);
        Assert.Equal(HealthStatus.Healthy, started.Status);
        Assert.StartsWith("pending", (string)started.Data["integrity"]);
        var first = await ProbeUntilAsync(check, r => (string)r.Data["integrity"] == "ok");
        _time.Advance(TimeSpan.FromMinutes(30));
        var second = await RunAsync(check);
        // The probe decides at once whether to start a check and says so: within the interval it starts none.
        Assert.False((bool)second.Data["integrityRunning"]);
        Assert.Equal(first.Data["integrityCheckedAt"], second.Data["integrityCheckedAt"]);
        _time.Advance(TimeSpan.FromMinutes(31));
        Assert.True((bool)(await RunAsync(check)).Data["integrityRunning"]);
        var third = await ProbeUntilAsync(check, r => !Equals(r.Data["integrityCheckedAt"], first.Data["integrityCheckedAt"]));
        Assert.Equal("ok", third.Data["integrity"]);
    }

    [Fact]
    public async Task Sqlite_reports_damage_found_by_the_background_integrity_check()
    {
        var connectionString = await CreateDatabaseAsync();
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            // An index that no longer matches its table: integrity_check reports it, a plain query does not notice.
            command.CommandText = "CREATE TABLE damaged(x); CREATE INDEX damaged_x ON damaged(x); INSERT INTO damaged VALUES (1), (2), (3); PRAGMA writable_schema = ON; " +
                "UPDATE sqlite_master SET sql = 'CREATE INDEX damaged_x ON damaged(x DESC)' WHERE name = 'damaged_x'; PRAGMA writable_schema = OFF;";
            await command.ExecuteNonQueryAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var check = new SqliteHealthCheck(connectionString, Thresholds(), _time);
        var damaged = await ProbeUntilAsync(check, r => (string)r.Data["integrity"] != "pending: the first check is running");
        Assert.Equal(HealthStatus.Unhealthy, damaged.Status);
        Assert.StartsWith("integrity_check:", damaged.Description);
    }

    private static async Task<HealthCheckResult> ProbeUntilAsync(SqliteHealthCheck check, Func<HealthCheckResult, bool> done)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var result = await RunAsync(check);
            if (done(result))
            {
                return result;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the background integrity check did not finish in 10 s");
    }

    [Fact]
    public async Task Redis_is_healthy_when_it_answers_degraded_when_slow_and_unhealthy_when_gone()
    {
        await using var server = await RedisServer.StartAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        Assert.Equal(HealthStatus.Healthy, (await RunAsync(new RedisPingHealthCheck(redis, Thresholds(t => t.RedisDegradedLatency = TimeSpan.FromSeconds(5))))).Status);
        Assert.Equal(HealthStatus.Degraded, (await RunAsync(new RedisPingHealthCheck(redis, Thresholds(t => t.RedisDegradedLatency = TimeSpan.Zero)))).Status);
        await server.KillAsync();
        Assert.Equal(HealthStatus.Unhealthy, (await RunAsync(new RedisPingHealthCheck(redis, Thresholds()))).Status);
    }

    [Fact]
    public async Task Backlog_is_judged_by_the_number_of_jobs_and_the_age_of_the_oldest()
    {
        await using var server = await RedisServer.StartAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var database = redis.GetDatabase();
        var thresholds = Thresholds(t => (t.BacklogDegradedJobs, t.BacklogUnhealthyJobs, t.OldestJobDegradedAge, t.OldestJobUnhealthyAge) =
            (3, 6, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10)));
        var now = DateTimeOffset.UtcNow;
        var time = new FakeTimeProvider(now);
        var check = new JobBacklogHealthCheck(redis, thresholds, time, TestMetrics.Create());

        Assert.Equal(HealthStatus.Healthy, (await RunAsync(check)).Status);

        await database.StreamCreateConsumerGroupAsync(QueueNames.Jobs, QueueNames.ProcessorGroup, "0-0", createStream: true);
        // One job read by a processor and not acknowledged (in progress), one not read yet.
        await database.StreamAddAsync(QueueNames.Jobs, "payload", "a", messageId: $"{now.AddSeconds(-30).ToUnixTimeMilliseconds()}-0");
        await database.StreamReadGroupAsync(QueueNames.Jobs, QueueNames.ProcessorGroup, "p1", ">", count: 1);
        await database.StreamAddAsync(QueueNames.Jobs, "payload", "b", messageId: $"{now.AddSeconds(-20).ToUnixTimeMilliseconds()}-0");
        var two = await RunAsync(check);
        Assert.Equal(HealthStatus.Healthy, two.Status);
        Assert.Equal(1L, two.Data["pending"]);
        Assert.Equal(1L, two.Data["waiting"]);

        await database.StreamAddAsync(QueueNames.Jobs, "payload", "c", messageId: $"{now.AddSeconds(-10).ToUnixTimeMilliseconds()}-0");
        Assert.Equal(HealthStatus.Degraded, (await RunAsync(check)).Status);

        time.Advance(TimeSpan.FromMinutes(11));
        var old = await RunAsync(check);
        Assert.Equal(HealthStatus.Unhealthy, old.Status);
        Assert.True((double)old.Data["oldestAgeSeconds"] >= 660);

        await server.KillAsync();
        Assert.Equal(HealthStatus.Unhealthy, (await RunAsync(check)).Status);
    }

    [Fact]
    public async Task Processors_alive_counts_heartbeat_keys()
    {
        await using var server = await RedisServer.StartAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var check = new ProcessorsAliveHealthCheck(redis, Thresholds(t => t.ExpectedProcessors = 2));
        Assert.Equal(HealthStatus.Unhealthy, (await RunAsync(check)).Status);
        await redis.GetDatabase().StringSetAsync(QueueNames.HeartbeatPrefix + "one", 0, TimeSpan.FromMinutes(1));
        Assert.Equal(HealthStatus.Degraded, (await RunAsync(check)).Status);
        await redis.GetDatabase().StringSetAsync(QueueNames.HeartbeatPrefix + "two", 0, TimeSpan.FromMinutes(1));
        var healthy = await RunAsync(check);
        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal(2, healthy.Data["alive"]);
    }

    [Fact]
    public async Task Telegram_is_cached_degraded_on_failure_and_unhealthy_when_failing_long()
    {
        var calls = 0;
        var fail = false;
        var check = new TelegramHealthCheck(_ =>
        {
            calls++;
            return fail ? Task.FromException(new HttpRequestException("Connection refused")) : Task.CompletedTask;
        }, Thresholds(t => (t.TelegramCheckInterval, t.TelegramUnhealthyAfter) = (TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10))), _time);

        Assert.Equal(HealthStatus.Healthy, (await RunAsync(check)).Status);
        Assert.Equal(HealthStatus.Healthy, (await RunAsync(check)).Status);
        Assert.Equal(1, calls);

        fail = true;
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HealthStatus.Degraded, (await RunAsync(check)).Status);
        Assert.Equal(2, calls);

        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(HealthStatus.Unhealthy, (await RunAsync(check)).Status);

        fail = false;
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HealthStatus.Healthy, (await RunAsync(check)).Status);
    }

    [Theory]
    [InlineData(5000L, HealthStatus.Healthy)]
    [InlineData(500L, HealthStatus.Degraded)]
    [InlineData(50L, HealthStatus.Unhealthy)]
    public async Task Disk_space_is_judged_by_the_fullest_volume(long freeMegabytes, HealthStatus expected)
    {
        var check = new DiskSpaceHealthCheck(["/data", "/data/backups"], Thresholds(),
            directory => (directory == "/data/backups" ? freeMegabytes : 100_000) * 1024 * 1024);
        Assert.Equal(expected, (await RunAsync(check)).Status);
    }

    [Fact]
    public async Task Disk_space_of_a_real_directory_is_measured()
    {
        var result = await RunAsync(new DiskSpaceHealthCheck([Path.Combine(_directory, "not-yet")], Thresholds(t => (t.DiskDegradedMegabytes, t.DiskUnhealthyMegabytes) = (0, 0))));
        Assert.Equal(HealthStatus.Healthy, result.Status);
    }

    [Theory]
    [InlineData(100, HealthStatus.Healthy)]
    [InlineData(1500, HealthStatus.Degraded)]
    [InlineData(3000, HealthStatus.Unhealthy)]
    public async Task Memory_is_judged_by_the_working_set(int megabytes, HealthStatus expected)
    {
        var check = new MemoryHealthCheck(Options.Create(new MemoryHealthCheckOptions()), () => megabytes * 1024L * 1024);
        Assert.Equal(expected, (await RunAsync(check)).Status);
    }

    [Fact]
    public async Task Backup_freshness_follows_the_last_verified_snapshot()
    {
        var state = new BackupState(_time, TestMetrics.Create());
        var backups = Options.Create(new BackupOptions { Interval = TimeSpan.FromMinutes(15) });
        var check = new BackupFreshnessHealthCheck(state, backups, Thresholds(t => (t.BackupDegradedIntervals, t.BackupUnhealthyIntervals) = (2, 8)), _time);

        Assert.Equal(HealthStatus.Healthy, (await RunAsync(check)).Status);
        _time.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(HealthStatus.Degraded, (await RunAsync(check)).Status);
        state.Succeeded("/backups/faceswap-1.db", _time.GetUtcNow());
        Assert.Equal(HealthStatus.Healthy, (await RunAsync(check)).Status);
        _time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(HealthStatus.Unhealthy, (await RunAsync(check)).Status);

        state.Succeeded("/backups/faceswap-2.db", _time.GetUtcNow());
        state.Failed("SQLite Error 13: 'database or disk is full'.");
        var failed = await RunAsync(check);
        Assert.Equal(HealthStatus.Degraded, failed.Status);
        Assert.Contains("disk is full", failed.Description);

        var disabled = new BackupFreshnessHealthCheck(state, Options.Create(new BackupOptions { Enabled = false }), Thresholds(), _time);
        Assert.Equal(HealthStatus.Degraded, (await RunAsync(disabled)).Status);
    }
}
