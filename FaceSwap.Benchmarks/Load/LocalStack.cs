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

/// <summary>One child process: its log goes to a file in the stack's folder; it can be killed, stopped and restarted.</summary>
public sealed class ChildService : IAsyncDisposable
{
    private readonly ProcessStartInfo _start;
    private readonly string _logPath;
    private Process _process;

    private ChildService(string name, ProcessStartInfo start, string logPath)
    {
        Name = name;
        _start = start;
        _logPath = logPath;
        _process = Launch();
    }

    public string Name { get; }
    public Uri? HealthUrl { get; set; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;

    public static ChildService Start(string name, string fileName, IEnumerable<string> arguments, string workingDirectory, string logDirectory,
        IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new ChildService(name, start, Path.Combine(logDirectory, name + ".log"));
    }

    /// <summary>Runs a built service from its own bin folder (its content root), configured only by environment variables.</summary>
    /// <param name="cap">A memory cgroup the process joins before it starts, so the runtime sees the limit from its first allocation.</param>
    public static ChildService StartDotnet(string project, string logDirectory, IReadOnlyDictionary<string, string> environment, string? name = null,
        MemoryCap? cap = null)
    {
        var dll = Path.Combine(BinDirectoryOf(project), project + ".dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build {project} first (the bench scripts do); expected {dll}.");
        }

        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in environment)
        {
            settings[key] = value;
        }

        var serviceName = name ?? project.Replace("FaceSwap.", "", StringComparison.Ordinal).ToLowerInvariant();
        // The shell joins the cgroup and then becomes dotnet (exec), so the pid, signals and /proc figures are the service's.
        return cap is null
            ? Start(serviceName, "dotnet", [dll], Path.GetDirectoryName(dll)!, logDirectory, settings)
            : Start(serviceName, "sh", ["-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"", cap.Directory, "dotnet", dll],
                Path.GetDirectoryName(dll)!, logDirectory, settings);
    }

    /// <summary>The service's build output next to this program's, in the same configuration.</summary>
    private static string BinDirectoryOf(string project)
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "FaceSwap.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException("Run from the repository's build output; FaceSwap.sln not found above " + here.FullName);
        }

        // .../FaceSwap.Benchmarks/bin/<Configuration>/net10.0/linux-x64/
        var relative = Path.GetRelativePath(Path.Combine(root.FullName, "FaceSwap.Benchmarks"), here.FullName);
        return Path.Combine(root.FullName, project, relative);
    }

    private Process Launch()
    {
        var process = Process.Start(_start) ?? throw new InvalidOperationException($"Could not start {Name}.");
        var log = new StreamWriter(_logPath, append: true) { AutoFlush = true };
        var gate = new Lock();
        var closed = false;
        void Write(string? line)
        {
            lock (gate)
            {
                // Output can still arrive after Exited closed the log; those last lines are dropped, not written to a closed file.
                if (line is not null && !closed)
                {
                    log.WriteLine(line);
                }
            }
        }

        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.Exited += (_, _) =>
        {
            lock (gate)
            {
                closed = true;
                log.Dispose();
            }
        };
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>SIGKILL: no shutdown code runs, as when a container is evicted or the machine dies.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM and wait: the graceful stop a deployment does.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return;
        }

        _ = SendSignal(_process.Id, 15);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }
    }

    public async Task RestartAsync()
    {
        if (!_process.HasExited)
        {
            await StopAsync(TimeSpan.FromSeconds(30));
        }

        _process.Dispose();
        _process = Launch();
        if (HealthUrl is not null)
        {
            await WaitHealthyAsync(HealthUrl, TimeSpan.FromSeconds(60));
        }
    }

    /// <summary>Current and peak resident memory in MB, from /proc.</summary>
    public (double CurrentMb, double PeakMb) Memory()
    {
        var status = File.ReadAllLines($"/proc/{_process.Id}/status");
        double Kb(string field) => double.Parse(status.First(l => l.StartsWith(field, StringComparison.Ordinal)).Split(':')[1].Trim().Split(' ')[0],
            CultureInfo.InvariantCulture);
        return (Kb("VmRSS") / 1024, Kb("VmHWM") / 1024);
    }

    public string Log()
    {
        using var stream = new FileStream(_logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }

    public async Task WaitHealthyAsync(Uri url, TimeSpan timeout)
    {
        HealthUrl ??= url;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}; its log: {_logPath}");
            }

            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // busy starting
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{Name} was not healthy at {url} within {timeout}; its log: {_logPath}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await StopAsync(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
    }

    // Process.Kill only sends SIGKILL; a graceful stop needs SIGTERM.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
