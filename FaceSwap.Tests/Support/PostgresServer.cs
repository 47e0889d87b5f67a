using FaceSwap.AppHost.Postgres;
using FaceSwap.Tests.Deployment;
using Npgsql;

namespace FaceSwap.Tests.Support;

/// <summary>
/// A real PostgreSQL (Debian's binaries) for the tests: initdb into a temp folder, started on a free loopback port
/// (as the <c>postgres</c> OS user when the tests run as root), stopped and deleted on dispose. Each test class takes
/// a database of its own with <see cref="CreateDatabaseAsync"/>. One server serves the collection ("postgres").
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string Collection = "postgres";

    private readonly string _parent = Path.Combine(Path.GetTempPath(), "faceswap-pg-" + Guid.NewGuid().ToString("N")[..8]);
    private int _databases;

    // Settings beyond the defaults: WAL archiving (StartArchivingAsync), or the recovery of a restore (RestoreAsync).
    private string _settings = "";

    public int Port { get; } = RedisServer.FreePort();

    private string DataDirectory => Path.Combine(_parent, "data");

    /// <summary>The maintenance database, as the superuser (trust authentication on loopback).</summary>
    public string AdminConnectionString => ConnectionStringFor("postgres");

    public string ConnectionStringFor(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Timeout=10";

    /// <summary>Where an archiving server (<see cref="StartArchivingAsync"/>) copies each finished WAL segment.</summary>
    public string ArchiveDirectory => Path.Combine(_parent, "archive");

    public async Task InitializeAsync()
    {
        if (!PostgresBinaries.Installed)
        {
            return; // the tests skip (PostgresFactAttribute); nothing to start
        }

        PostgresBinaries.CreateDataDirectoryParent(_parent);
        await RunAsync("initdb", "-D", DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--locale=C");
        await StartAsync();
    }

    /// <summary>
    /// A server that archives every finished WAL segment, as a managed PostgreSQL keeps them for point-in-time
    /// restore: its base backups (<see cref="BaseBackupAsync"/>) plus the archive restore it to any moment since.
    /// </summary>
    public static async Task<PostgresServer> StartArchivingAsync()
    {
        var server = new PostgresServer();
        PostgresBinaries.CreateDataDirectoryParent(server.ArchiveDirectory);
        server._settings = $"-c wal_level=replica -c archive_mode=on -c archive_command='cp %p {server.ArchiveDirectory}/%f'";
        await server.InitializeAsync();
        return server;
    }

    /// <summary>A base backup of the running server (pg_basebackup, with the WAL it needs) into a new folder; its path.</summary>
    public async Task<string> BaseBackupAsync()
    {
        var backup = Path.Combine(_parent, "base-" + Guid.NewGuid().ToString("N")[..6]);
        await RunAsync("pg_basebackup", "-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-U", "postgres", "-D", backup, "-X", "stream", "-c", "fast", "--no-sync");
        return backup;
    }

    /// <summary>
    /// Switches to a new WAL segment and waits until the archive holds the one just finished, so everything
    /// committed so far can be replayed from the archive.
    /// </summary>
    public async Task ArchiveCurrentWalAsync()
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        var segment = (string)(await new NpgsqlCommand("SELECT pg_walfile_name(pg_switch_wal())", connection).ExecuteScalarAsync())!;
        await Emulator.EmulatorHost.WaitUntilAsync(async () =>
                await new NpgsqlCommand("SELECT last_archived_wal FROM pg_stat_archiver", connection).ExecuteScalarAsync() is string archived
                && string.CompareOrdinal(archived, segment) >= 0,
            TimeSpan.FromSeconds(30), $"WAL segment {segment} was not archived");
    }

    /// <summary>
    /// A new server, on a port of its own, restored from <paramref name="baseBackup"/> and this server's WAL archive to
    /// <paramref name="target"/> (recovery_target_time, as <c>az postgres flexible-server restore --restore-time</c>
    /// does), then promoted to take writes. Returns once it has left recovery.
    /// </summary>
    public async Task<PostgresServer> RestoreAsync(string baseBackup, string target)
    {
        var restored = new PostgresServer();
        PostgresBinaries.CreateDataDirectoryParent(restored._parent);
        Directory.Move(baseBackup, restored.DataDirectory);
        await File.WriteAllTextAsync(Path.Combine(restored.DataDirectory, "recovery.signal"), "");
        restored._settings = $"-c restore_command='cp {ArchiveDirectory}/%f %p' -c recovery_target_time='{target}' -c recovery_target_action=promote";
        await restored.StartAsync();
        await using var connection = new NpgsqlConnection(restored.AdminConnectionString);
        await connection.OpenAsync();
        await Emulator.EmulatorHost.WaitUntilAsync(async () => await new NpgsqlCommand("SELECT NOT pg_is_in_recovery()", connection).ExecuteScalarAsync() is true,
            TimeSpan.FromSeconds(60), "the restored server did not finish its recovery");
        return restored;
    }

    // fsync off: a test server loses nothing worth keeping in a crash, and every commit is faster.
    private Task StartAsync() =>
        RunAsync("pg_ctl", "-D", DataDirectory, "-l", Path.Combine(_parent, "server.log"), "-w", "-t", "60", "-o",
            $"-p {Port} -c listen_addresses=127.0.0.1 -k {_parent} -c fsync=off -c synchronous_commit=off -c max_connections=200 {_settings}", "start");

    /// <summary>A new, empty database; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"faceswap_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid().ToString("N")[..6]}";
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE {name}";
        await command.ExecuteNonQueryAsync();
        return ConnectionStringFor(name);
    }

    /// <summary>A bot API on a new database of this server, or null where PostgreSQL is not installed (the tests skip).</summary>
    public async Task<BotApiHost?> StartBotApiAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        if (!PostgresBinaries.Installed)
        {
            return null;
        }

        var all = new Dictionary<string, string?>
        {
            ["Database:Provider"] = FaceSwap.BotApi.Data.DatabaseOptions.Postgres,
            ["ConnectionStrings:faceswapdb"] = await CreateDatabaseAsync(),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return await BotApiHost.StartAsync(all);
    }

    public async Task DisposeAsync()
    {
        if (!PostgresBinaries.Installed)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            await RunAsync("pg_ctl", "-D", DataDirectory, "-m", "immediate", "-w", "stop");
        }

        try
        {
            Directory.Delete(_parent, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private async Task RunAsync(string tool, params string[] arguments)
    {
        var (fileName, args) = PostgresBinaries.Command(tool, arguments);
        var result = await ProcessRunner.RunAsync(fileName, args, _parent, TimeSpan.FromSeconds(90));
        if (result.ExitCode != 0)
        {
            var log = Path.Combine(_parent, "server.log");
            throw new InvalidOperationException($"{tool} failed: {result}\n{(File.Exists(log) ? await File.ReadAllTextAsync(log) : "")}");
        }
    }
}
