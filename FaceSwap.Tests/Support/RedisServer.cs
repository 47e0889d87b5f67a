using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace FaceSwap.Tests.Support;

/// <summary>
/// A real redis-server on a free loopback port with append-only persistence in a temp folder, for tests that need
/// Redis without the whole Aspire app. It can be stopped and started again on the same port and data.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "faceswap-redis-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly Func<RedisServer, ProcessStartInfo> _startInfo;
    private readonly string _probeCredentials;
    private Process? _process;

    private RedisServer(int port, Func<RedisServer, ProcessStartInfo> startInfo, string probeCredentials)
    {
        Port = port;
        _startInfo = startInfo;
        _probeCredentials = probeCredentials;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000,syncTimeout=2000";

    public static Task<RedisServer> StartAsync() => StartAsync([], "");

    /// <param name="arguments">More redis-server arguments, e.g. <c>--aclfile</c>.</param>
    /// <param name="setUp">Runs with the data folder before the server starts (e.g. writes the aclfile there).</param>
    /// <param name="probeCredentials">How the readiness probe signs in, e.g. <c>,user=admin,password=...</c>.</param>
    public static Task<RedisServer> StartAsync(IReadOnlyList<string> arguments, string probeCredentials, Action<string>? setUp = null) =>
        StartAsync(server => new ProcessStartInfo("redis-server",
            ["--port", server.Port.ToString(), "--bind", "127.0.0.1", "--dir", server._directory, "--appendonly", "yes", "--appendfsync", "always", "--save", "", .. arguments]),
            probeCredentials, setUp);

    /// <summary>
    /// Runs a container's <c>/bin/sh -c</c> command line as it stands (e.g. the manifest's), with the given
    /// environment, on this machine's redis-server: only the port, the bind address and the data folder are added,
    /// after it, which redis-server lets win.
    /// </summary>
    public static Task<RedisServer> StartShellAsync(string shellCommand, IReadOnlyDictionary<string, string> environment, string probeCredentials) =>
        StartAsync(server =>
        {
            // exec: the shell becomes redis-server, so killing the process stops the server.
            var startInfo = new ProcessStartInfo("/bin/sh", ["-c", $"exec {shellCommand} --port {server.Port} --bind 127.0.0.1 --dir '{server._directory}'"]);
            foreach (var (name, value) in environment)
            {
                startInfo.Environment[name] = value;
            }

            return startInfo;
        }, probeCredentials, setUp: null);

    private static async Task<RedisServer> StartAsync(Func<RedisServer, ProcessStartInfo> startInfo, string probeCredentials, Action<string>? setUp)
    {
        var port = FreePort();
        var server = new RedisServer(port, startInfo, probeCredentials);
        System.IO.Directory.CreateDirectory(server._directory);
        setUp?.Invoke(server._directory);
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        var startInfo = _startInfo(this);
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.UseShellExecute = false;
        _process = Process.Start(startInfo) ?? throw new InvalidOperationException("redis-server did not start; install it with apt-get install redis-server.");
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                await using var probe = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{Port},connectTimeout=500{_probeCredentials}");
                await probe.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Stops the server abruptly (SIGKILL), as a crash would.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
