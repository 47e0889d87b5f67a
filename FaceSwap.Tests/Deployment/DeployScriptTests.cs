using System.Net;
using System.Net.Sockets;

namespace FaceSwap.Tests.Deployment;

/// <summary>
/// The smoke test and rollback scripts that deploy.yml runs, exercised here against a loopback HTTP server
/// and a stand-in for the az CLI that records its arguments.
/// </summary>
public class DeployScriptTests
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Smoke_test_passes_when_alive_and_health_answer_200()
    {
        await using var server = LoopbackServer.Start(_ => HttpStatusCode.OK);

        var result = await RunScriptAsync("smoke-test.sh", [server.BaseUrl, "10", "1"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("/alive", server.Paths);
        Assert.Contains("/health", server.Paths);
    }

    [Fact]
    public async Task Smoke_test_fails_at_the_deadline_while_health_is_unhealthy()
    {
        await using var server = LoopbackServer.Start(path => path == "/health" ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK);

        var result = await RunScriptAsync("smoke-test.sh", [server.BaseUrl, "3", "1"]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("/health 503", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Smoke_test_waits_for_a_revision_that_becomes_healthy()
    {
        var healthyAfter = DateTime.UtcNow.AddSeconds(2);
        await using var server = LoopbackServer.Start(_ => DateTime.UtcNow < healthyAfter ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK);

        var result = await RunScriptAsync("smoke-test.sh", [server.BaseUrl, "20", "1"]);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Theory]
    [InlineData("Single", false)]
    [InlineData("Multiple", true)]
    public async Task Rollback_activates_the_good_revision_and_deactivates_the_failed_one(string mode, bool setsTraffic)
    {
        var bin = Directory.CreateTempSubdirectory("faceswap-fake-az-");
        try
        {
            var log = Path.Combine(bin.FullName, "az.log");
            var az = Path.Combine(bin.FullName, "az");
            await File.WriteAllTextAsync(az, $"""
                #!/usr/bin/env bash
                echo "$*" >> '{log}'
                if [[ "$*" == *"containerapp show"* ]]; then echo {mode}; fi
                """);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(az, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var path = $"{bin.FullName}:{Environment.GetEnvironmentVariable("PATH")}";

            var result = await RunScriptAsync("rollback-revision.sh", ["rg-faceswap", "botapi", "botapi--good", "botapi--bad"], new() { ["PATH"] = path });

            Assert.True(result.ExitCode == 0, result.ToString());
            var calls = await File.ReadAllLinesAsync(log);
            Assert.Contains(calls, c => c.StartsWith("containerapp revision activate", StringComparison.Ordinal) && c.Contains("--revision botapi--good", StringComparison.Ordinal));
            Assert.Contains(calls, c => c.StartsWith("containerapp revision deactivate", StringComparison.Ordinal) && c.Contains("--revision botapi--bad", StringComparison.Ordinal));
            Assert.Equal(setsTraffic, calls.Any(c => c.StartsWith("containerapp ingress traffic set", StringComparison.Ordinal) && c.Contains("botapi--good=100", StringComparison.Ordinal)));
        }
        finally
        {
            bin.Delete(recursive: true);
        }
    }

    private static Task<ProcessResult> RunScriptAsync(string script, string[] arguments, Dictionary<string, string>? environment = null) =>
        ProcessRunner.RunAsync("bash", [RepositoryFiles.PathOf(".github", "scripts", script), .. arguments], RepositoryFiles.Root, ScriptTimeout, environment);

    /// <summary>An HTTP server on 127.0.0.1 that answers every GET with the status the callback picks.</summary>
    private sealed class LoopbackServer : IAsyncDisposable
    {
        private readonly HttpListener listener;
        private readonly Task loop;
        private readonly List<string> paths = [];

        private LoopbackServer(HttpListener listener, Func<string, HttpStatusCode> status)
        {
            this.listener = listener;
            loop = Task.Run(async () =>
            {
                while (listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await listener.GetContextAsync();
                    }
                    catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                    {
                        return; // stopped
                    }

                    var path = context.Request.Url?.AbsolutePath ?? "";
                    lock (paths)
                    {
                        paths.Add(path);
                    }

                    context.Response.StatusCode = (int)status(path);
                    context.Response.Close();
                }
            });
        }

        public string BaseUrl => listener.Prefixes.Single().TrimEnd('/');

        public IReadOnlyList<string> Paths
        {
            get
            {
                lock (paths)
                {
                    return [.. paths];
                }
            }
        }

        public static LoopbackServer Start(Func<string, HttpStatusCode> status)
        {
            // A free port from the OS; HttpListener itself cannot bind port 0.
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();

            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            listener.Start();
            return new LoopbackServer(listener, status);
        }

        public async ValueTask DisposeAsync()
        {
            listener.Stop();
            await loop;
            listener.Close();
        }
    }
}
