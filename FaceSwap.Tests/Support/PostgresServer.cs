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

    public int Port { get; } = RedisServer.FreePort();

    private string DataDirectory => Path.Combine(_parent, "data");

    /// <summary>The maintenance database, as the superuser (trust authentication on loopback).</summary>
    public string AdminConnectionString => ConnectionStringFor("postgres");

    public string ConnectionStringFor(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Timeout=10";

    public async Task InitializeAsync()
    {
        if (!PostgresBinaries.Installed)
        {
            return; // the tests skip (PostgresFactAttribute); nothing to start
        }

        PostgresBinaries.CreateDataDirectoryParent(_parent);
        await RunAsync("initdb", "-D", DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--locale=C");
        // fsync off: a test server loses nothing worth keeping in a crash, and every commit is faster.
        await RunAsync("pg_ctl", "-D", DataDirectory, "-l", Path.Combine(DataDirectory, "server.log"), "-w", "-t", "60", "-o",
            $"-p {Port} -c listen_addresses=127.0.0.1 -k {DataDirectory} -c fsync=off -c synchronous_commit=off -c max_connections=200", "start");
    }

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
            var log = Path.Combine(DataDirectory, "server.log");
            throw new InvalidOperationException($"{tool} failed: {result}\n{(File.Exists(log) ? await File.ReadAllTextAsync(log) : "")}");
        }
    }
}
