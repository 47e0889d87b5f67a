using System.Collections.Concurrent;
using System.Diagnostics;

namespace FaceSwap.Tests.Support;

/// <summary>
/// Runs a built service (BotApi, Processor) as its own process, configured only by environment variables, as its
/// container runs in the cloud. Captures its output for the failure message.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServiceProcess(Process process) => _process = process;

    public string Output => string.Join('\n', _output);

    /// <summary>The process id, e.g. to read its memory from /proc.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The settings a standalone bot API needs, by environment variables only, as its container runs.</summary>
    public static Dictionary<string, string> BotApiSettings(Uri url, Emulator.EmulatorHost emulator, RedisServer redis, string databasePath,
        string webhookSecret) => new()
    {
        ["ASPNETCORE_URLS"] = url.ToString(),
        ["BOT_TOKEN"] = Emulator.EmulatorHost.Token,
        ["Telegram__ApiBaseUrl"] = emulator.BaseAddress.ToString(),
        ["Telegram__WebhookSecret"] = webhookSecret,
        ["Telegram__PublicUrl"] = url.ToString(),
        ["ConnectionStrings__redis"] = redis.ConnectionString,
        ["ConnectionStrings__faceswapdb"] = $"Data Source={databasePath}",
        ["Telegram__PerChatBurst"] = TestPacing.PerChatBurst,
    };

    /// <summary>Deletes a test's temp folder once the services using its SQLite file have stopped.</summary>
    public static void DeleteDirectory(string directory)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    public static ServiceProcess Start(string project, IReadOnlyDictionary<string, string> environment)
    {
        var dll = Path.Combine(BinDirectoryOf(project), project + ".dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build {project} first; expected {dll}.");
        }

        var start = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var service = new ServiceProcess(Process.Start(start)!);
        service._process.OutputDataReceived += (_, e) => { if (e.Data is not null) service._output.Enqueue(e.Data); };
        service._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) service._output.Enqueue(e.Data); };
        service._process.BeginOutputReadLine();
        service._process.BeginErrorReadLine();
        return service;
    }

    /// <summary>Waits until <paramref name="url"/> answers 200, or fails with the process's output.</summary>
    public async Task WaitHealthyAsync(Uri url, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                if ((await http.GetAsync(url)).IsSuccessStatusCode)
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
                // slow start
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{url} did not become healthy in {timeout}:\n{Output}");
    }

    /// <summary>Waits for the process to exit by itself and returns its exit code, or fails with its output.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The process did not exit within {timeout}:\n{Output}");
        }

        // The exit event can come before the last redirected lines are read; the parameterless wait drains them.
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    /// <summary>Kills the process at once, as a crash or an evicted container would: no graceful stop.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    /// <summary>The project's own build output, built in the same configuration as the tests.</summary>
    private static string BinDirectoryOf(string project)
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var relative = new List<string>();
        var directory = testBin;
        while (directory is not null && directory.Name != "bin")
        {
            relative.Insert(0, directory.Name);
            directory = directory.Parent;
        }

        var repository = directory?.Parent?.Parent ?? throw new InvalidOperationException("Tests do not run from a bin folder.");
        var bin = Path.Combine([repository.FullName, project, "bin", .. relative]);
        // The AppHost builds for no runtime identifier (Directory.Build.props), so its output lacks the RID folder.
        return Directory.Exists(bin) || relative.Count < 3 ? bin : Path.Combine([repository.FullName, project, "bin", .. relative[..^1]]);
    }
}
