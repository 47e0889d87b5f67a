using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FaceSwap.AppHost;
using FaceSwap.Tests.Support;

namespace FaceSwap.Tests.Startup;

/// <summary>
/// <c>dotnet run --project FaceSwap.AppHost</c> on a machine that lacks something stops at once with one line naming
/// it and the fix, instead of a <c>TaskCanceledException</c> from the orchestrator minutes later.
/// </summary>
public sealed class StartupPrerequisitesTests
{
    // Generous for a loaded CI machine; the check itself takes about a second (README, "When something is missing").
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task The_AppHost_without_redis_server_on_PATH_stops_in_seconds_naming_it_and_the_fix()
    {
        var emptyPath = Directory.CreateTempSubdirectory("faceswap-no-redis-").FullName;
        try
        {
            var clock = Stopwatch.StartNew();
            await using var appHost = ServiceProcess.Start("FaceSwap.AppHost", AppHostSettings(new() { ["PATH"] = emptyPath }));
            var exitCode = await appHost.WaitForExitAsync(Quickly);

            Assert.Equal(1, exitCode);
            Assert.Contains(
                "FaceSwap cannot start: redis-server was not found on PATH: run ./run.sh or `sudo apt-get install redis-server`",
                appHost.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", appHost.Output, StringComparison.Ordinal);
            Assert.True(clock.Elapsed < Quickly, $"took {clock.Elapsed}");
        }
        finally
        {
            Directory.Delete(emptyPath);
        }
    }

    [Fact]
    public async Task The_AppHost_stops_naming_a_fixed_port_that_is_in_use()
    {
        // The bot API's port from its launch profile, which the AppHost's proxy listens on.
        const int botApiPort = 5280;
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            taken.Bind(new IPEndPoint(IPAddress.Loopback, botApiPort));
            taken.Listen();
        }
        catch (SocketException)
        {
            // Something on this machine listens there already, which is what the test needs.
        }

        await using var appHost = ServiceProcess.Start("FaceSwap.AppHost", AppHostSettings([]));
        var exitCode = await appHost.WaitForExitAsync(Quickly);

        Assert.Equal(1, exitCode);
        Assert.Contains($"FaceSwap cannot start: port {botApiPort} (botapi http) is already in use", appHost.Output, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_command_is_found_only_as_an_executable_file_in_a_PATH_folder()
    {
        var folder = Directory.CreateTempSubdirectory("faceswap-path-").FullName;
        try
        {
            var file = Path.Combine(folder, "redis-server");
            File.WriteAllText(file, "#!/bin/sh\n");
            Assert.Null(StartupPrerequisites.FindOnPath("redis-server", folder)); // not executable
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            Assert.Equal(file, StartupPrerequisites.FindOnPath("redis-server", "/nonexistent" + Path.PathSeparator + folder));
            Assert.Null(StartupPrerequisites.FindOnPath("redis-server", null));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The AppHost's launch profile (run without <c>dotnet run</c>), local Redis, and the test's own settings.</summary>
    private static Dictionary<string, string> AppHostSettings(Dictionary<string, string> settings)
    {
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = "http://localhost:15080",
            ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = "http://localhost:19080",
            ["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = "http://localhost:20080",
            ["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true",
            ["FaceSwap__RedisMode"] = "Local",
            ["FaceSwap__DataDirectory"] = Path.Combine(Path.GetTempPath(), "faceswap-prerequisites"),
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        return environment;
    }
}
