using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace FaceSwap.Benchmarks.Load;

/// <summary>
/// The whole application as separate processes on loopback, as its containers run in the cloud: redis-server
/// (append-only, fsync always, as the AppHost runs it), the Telegram emulator, the bot API in webhook mode and one or
/// more processors with the local engine. Each can be killed, stopped and started again, which the fault suite does.
/// Not Aspire: the benchmarks need to SIGKILL and restart single processes and read their memory.
/// The bot API's database is a SQLite file in the stack's folder, or a new database on a running PostgreSQL server;
/// on PostgreSQL there can be several bot API replicas (chat leases on), each with its own <c>Replica:Id</c>, behind
/// a <see cref="WebhookBalancer"/> whose address is the webhook they register.
/// </summary>
public sealed class LocalStack : IAsyncDisposable
{
    public const string BotToken = "123456789:emulator-local-token-0000000000000";
    public const string WebhookSecret = "load-test-secret";

    private readonly List<ChildService> _processors = [];
    private readonly List<ChildService> _botApis = [];
    private readonly IReadOnlyDictionary<string, string> _processorSettings;
    private readonly MemoryCap? _botApiCap;
    private readonly MemoryCap? _processorCap;
    private int _processorCount;

    private LocalStack(string directory, IReadOnlyDictionary<string, string> processorSettings, MemoryCap? botApiCap, MemoryCap? processorCap,
        StackDatabase database)
    {
        Directory = directory;
        Database = database;
        _processorSettings = processorSettings;
        _botApiCap = botApiCap;
        _processorCap = processorCap;
    }

    public string Directory { get; }
    public string DatabasePath => Path.Combine(Directory, "faceswap.db");
    public StackDatabase Database { get; }

    /// <summary>The bot API's connection string: the SQLite file, or this stack's own database on the PostgreSQL server.</summary>
    public string DatabaseConnection { get; private set; } = null!;
    public string BackupDirectory => Path.Combine(Directory, "backups");
    public int RedisPort { get; private set; }
    public string RedisConnection => $"127.0.0.1:{RedisPort}";
    public Uri EmulatorUrl { get; private set; } = null!;
    /// <summary>The first bot API replica's own address (its ops API; with one replica also the webhook).</summary>
    public Uri BotApiUrl => BotApiUrls[0];
    public IReadOnlyList<Uri> BotApiUrls { get; private set; } = [];
    public ChildService Redis { get; private set; } = null!;
    public ChildService Emulator { get; private set; } = null!;
    public ChildService BotApi => _botApis[0];
    public IReadOnlyList<ChildService> BotApis => _botApis;

    /// <summary>With several replicas, the round-robin the emulator's webhook posts go through; otherwise null.</summary>
    public WebhookBalancer? Balancer { get; private set; }
    public IReadOnlyList<ChildService> Processors => _processors;

    /// <param name="botApiSettings">Extra environment for the bot API (e.g. shorter intervals for a fault).</param>
    /// <param name="processorSettings">Extra environment for every processor.</param>
    /// <param name="botApiCap">A memory limit the bot API runs under, as in a container.</param>
    /// <param name="processorCap">A memory limit the processors run under (all of them together).</param>
    /// <param name="database">SQLite (null, the default) or PostgreSQL with one or more bot API replicas.</param>
    public static async Task<LocalStack> StartAsync(int processors, IReadOnlyDictionary<string, string>? botApiSettings = null,
        IReadOnlyDictionary<string, string>? processorSettings = null, MemoryCap? botApiCap = null, MemoryCap? processorCap = null,
        StackDatabase? database = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "faceswap-load-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(directory);
        var stack = new LocalStack(directory, processorSettings ?? new Dictionary<string, string>(), botApiCap, processorCap, database ?? StackDatabase.Sqlite);
        try
        {
            await stack.StartAllAsync(processors, botApiSettings ?? new Dictionary<string, string>());
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    private async Task StartAllAsync(int processors, IReadOnlyDictionary<string, string> botApiSettings)
    {
        RedisPort = FreePort();
        Redis = ChildService.Start("redis", "redis-server", [
            "--port", RedisPort.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", Directory,
            "--save", "", "--appendonly", "yes", "--appendfsync", "always"], Directory, Directory, new Dictionary<string, string>());
        await WaitForPortAsync(RedisPort, TimeSpan.FromSeconds(10));

        EmulatorUrl = new Uri($"http://127.0.0.1:{FreePort()}");
        Emulator = ChildService.StartDotnet("FaceSwap.TelegramEmulator", Directory, new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = EmulatorUrl.ToString(),
            ["Emulator__BotToken"] = BotToken,
        });
        await Emulator.WaitHealthyAsync(new Uri(EmulatorUrl, "/health"), TimeSpan.FromSeconds(60));

        BotApiUrls = [.. Enumerable.Range(0, Database.Replicas).Select(_ => new Uri($"http://127.0.0.1:{FreePort()}"))];
        if (Database.Replicas > 1)
        {
            Balancer = await WebhookBalancer.StartAsync(BotApiUrls);
        }

        DatabaseConnection = Database.Postgres is null ? $"Data Source={DatabasePath}" : await Database.CreateDatabaseAsync();
        var botApi = new Dictionary<string, string>
        {
            ["BOT_TOKEN"] = BotToken,
            ["Telegram__ApiBaseUrl"] = EmulatorUrl.ToString(),
            ["Telegram__WebhookSecret"] = WebhookSecret,
            // Every replica registers the same webhook: the balancer's address when there are several.
            ["Telegram__PublicUrl"] = (Balancer?.Url ?? BotApiUrl).ToString(),
            ["ConnectionStrings__redis"] = RedisConnection,
            ["ConnectionStrings__faceswapdb"] = DatabaseConnection,
            ["Backups__Directory"] = BackupDirectory,
            // Load tests swap far more than a real user may.
            ["Swaps__FreeCredits"] = "1000",
            ["Swaps__MaxPerHour"] = "10000",
            // The end-to-end benchmark reads each run's results back from faceswap:results afterwards; trimming hourly
            // keeps them there for the run (the product trims acknowledged results every minute).
            ["Jobs__Results__TrimInterval"] = "01:00:00",
        };
        if (Database.Postgres is not null)
        {
            botApi["Database__Provider"] = "postgres";
        }

        foreach (var (key, value) in botApiSettings)
        {
            botApi[key] = value;
        }

        for (var i = 0; i < BotApiUrls.Count; i++)
        {
            var name = BotApiUrls.Count == 1 ? "botapi" : $"botapi-{i + 1}";
            var replica = new Dictionary<string, string>(botApi) { ["ASPNETCORE_URLS"] = BotApiUrls[i].ToString(), ["Replica__Id"] = name };
            _botApis.Add(ChildService.StartDotnet("FaceSwap.BotApi", Directory, replica, name, _botApiCap));
            // One after another: the first applies the database's migrations before the next one starts.
            await _botApis[i].WaitHealthyAsync(new Uri(BotApiUrls[i], "/alive"), TimeSpan.FromSeconds(60));
        }
        for (var i = 0; i < processors; i++)
        {
            await AddProcessorAsync();
        }

        await WaitReadyAsync(TimeSpan.FromSeconds(120));
    }

    /// <summary>Waits until the bot API's readiness check passes (Redis, database, processors alive, Telegram).</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        for (var i = 0; i < _botApis.Count; i++)
        {
            await _botApis[i].WaitHealthyAsync(new Uri(BotApiUrls[i], "/health"), timeout);
        }
    }

    /// <summary>A connection to the bot API's database for reading its rows (SQLite read-only).</summary>
    public async Task<System.Data.Common.DbConnection> OpenDatabaseAsync()
    {
        System.Data.Common.DbConnection connection = Database.Postgres is null
            ? new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False")
            : new Npgsql.NpgsqlConnection(DatabaseConnection);
        await connection.OpenAsync();
        return connection;
    }

    public async Task<ChildService> AddProcessorAsync()
    {
        var url = new Uri($"http://127.0.0.1:{FreePort()}");
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = url.ToString(),
            ["ConnectionStrings__redis"] = RedisConnection,
        };
        foreach (var (key, value) in _processorSettings)
        {
            settings[key] = value;
        }

        var processor = ChildService.StartDotnet("FaceSwap.Processor", Directory, settings, $"processor-{++_processorCount}", _processorCap);
        processor.HealthUrl = new Uri(url, "/health");
        _processors.Add(processor);
        await processor.WaitHealthyAsync(processor.HealthUrl, TimeSpan.FromSeconds(60));
        return processor;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _processors.Concat(_botApis).Append(Emulator).Append(Redis))
        {
            if (service is not null)
            {
                await service.DisposeAsync();
            }
        }

        if (Balancer is not null)
        {
            await Balancer.DisposeAsync();
        }

        if (Environment.GetEnvironmentVariable("FACESWAP_KEEP_LOAD_DIRECTORY") is null)
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
                // a file still held open: leave the temporary folder
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}
