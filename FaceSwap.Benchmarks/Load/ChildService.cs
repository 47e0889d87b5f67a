using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace FaceSwap.Benchmarks.Load;

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
