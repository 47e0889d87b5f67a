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
/// </summary>
public sealed class LocalStack : IAsyncDisposable
{
    public const string BotToken = "123456789:emulator-local-token-0000000000000";
    public const string WebhookSecret = "load-test-secret";

    private readonly List<ChildService> _processors = [];
    private readonly IReadOnlyDictionary<string, string> _processorSettings;
    private readonly MemoryCap? _botApiCap;
    private readonly MemoryCap? _processorCap;
    private int _processorCount;

    private LocalStack(string directory, IReadOnlyDictionary<string, string> processorSettings, MemoryCap? botApiCap, MemoryCap? processorCap)
    {
        Directory = directory;
        _processorSettings = processorSettings;
        _botApiCap = botApiCap;
        _processorCap = processorCap;
    }

    public string Directory { get; }
    public string DatabasePath => Path.Combine(Directory, "faceswap.db");
    public string BackupDirectory => Path.Combine(Directory, "backups");
    public int RedisPort { get; private set; }
    public string RedisConnection => $"127.0.0.1:{RedisPort}";
    public Uri EmulatorUrl { get; private set; } = null!;
    public Uri BotApiUrl { get; private set; } = null!;
    public ChildService Redis { get; private set; } = null!;
    public ChildService Emulator { get; private set; } = null!;
    public ChildService BotApi { get; private set; } = null!;
    public IReadOnlyList<ChildService> Processors => _processors;

    /// <param name="botApiSettings">Extra environment for the bot API (e.g. shorter intervals for a fault).</param>
    /// <param name="processorSettings">Extra environment for every processor.</param>
    /// <param name="botApiCap">A memory limit the bot API runs under, as in a container.</param>
    /// <param name="processorCap">A memory limit the processors run under (all of them together).</param>
    public static async Task<LocalStack> StartAsync(int processors, IReadOnlyDictionary<string, string>? botApiSettings = null,
        IReadOnlyDictionary<string, string>? processorSettings = null, MemoryCap? botApiCap = null, MemoryCap? processorCap = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "faceswap-load-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(directory);
        var stack = new LocalStack(directory, processorSettings ?? new Dictionary<string, string>(), botApiCap, processorCap);
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

        BotApiUrl = new Uri($"http://127.0.0.1:{FreePort()}");
        var botApi = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = BotApiUrl.ToString(),
            ["BOT_TOKEN"] = BotToken,
            ["Telegram__ApiBaseUrl"] = EmulatorUrl.ToString(),
            ["Telegram__WebhookSecret"] = WebhookSecret,
            ["Telegram__PublicUrl"] = BotApiUrl.ToString(),
            ["ConnectionStrings__redis"] = RedisConnection,
            ["ConnectionStrings__faceswapdb"] = $"Data Source={DatabasePath}",
            ["Backups__Directory"] = BackupDirectory,
            // Load tests swap far more than a real user may.
            ["Swaps__FreeCredits"] = "1000",
            ["Swaps__MaxPerHour"] = "10000",
            // The end-to-end benchmark reads each run's results back from faceswap:results afterwards; trimming hourly
            // keeps them there for the run (the product trims acknowledged results every minute).
            ["Jobs__Results__TrimInterval"] = "01:00:00",
        };
        foreach (var (key, value) in botApiSettings)
        {
            botApi[key] = value;
        }

        BotApi = ChildService.StartDotnet("FaceSwap.BotApi", Directory, botApi, cap: _botApiCap);
        await BotApi.WaitHealthyAsync(new Uri(BotApiUrl, "/alive"), TimeSpan.FromSeconds(60));
        for (var i = 0; i < processors; i++)
        {
            await AddProcessorAsync();
        }

        await WaitReadyAsync(TimeSpan.FromSeconds(120));
    }

    /// <summary>Waits until the bot API's readiness check passes (Redis, database, processors alive, Telegram).</summary>
    public async Task WaitReadyAsync(TimeSpan timeout) => await BotApi.WaitHealthyAsync(new Uri(BotApiUrl, "/health"), timeout);

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
        foreach (var service in _processors.Append(BotApi).Append(Emulator).Append(Redis))
        {
            if (service is not null)
            {
                await service.DisposeAsync();
            }
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
