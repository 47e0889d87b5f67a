using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

namespace FaceSwap.AppHost;

/// <summary>
/// What the machine must have before the orchestrator starts anything. Without these checks a missing
/// <c>redis-server</c> shows up minutes later as a <c>TaskCanceledException</c> inside DCP, and a port in use as a
/// resource that never gets healthy; checked here, each is one line naming it and the fix, within a second.
/// </summary>
public static class StartupPrerequisites
{
    /// <summary>The settings that fix the dashboard's own listeners (set by the launch profile).</summary>
    private static readonly string[] DashboardUrlKeys =
    [
        "ASPNETCORE_URLS",
        "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL",
        "ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL",
        "ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL",
    ];

    /// <summary>One line per missing prerequisite, empty when the app can start. Only run mode has any.</summary>
    public static IReadOnlyList<string> Find(IDistributedApplicationBuilder builder)
    {
        if (!builder.ExecutionContext.IsRunMode)
        {
            return [];
        }

        var problems = new List<string>();
        foreach (var redis in builder.Resources.OfType<LocalRedisResource>())
        {
            if (FindOnPath(redis.Command, builder.Configuration["PATH"]) is null)
            {
                problems.Add(RedisServerMissing(redis.Command));
            }
        }

        if (builder.Resources.OfType<LocalPostgresResource>().Any() && !Postgres.PostgresBinaries.Installed)
        {
            problems.Add(PostgresMissing);
        }

        // Tests (Aspire.Hosting.Testing) randomize every port and run no dashboard: nothing is fixed then.
        if (!builder.Configuration.GetValue("DcpPublisher:RandomizePorts", false))
        {
            foreach (var (owner, port) in FixedPorts(builder).DistinctBy(p => p.Port))
            {
                if (PortInUse(port))
                {
                    problems.Add(PortTaken(owner, port));
                }
            }
        }

        return problems;
    }

    public static string RedisServerMissing(string command) =>
        $"{command} was not found on PATH: run ./run.sh or `sudo apt-get install redis-server` " +
        "(or start Docker, or set FaceSwap:RedisMode=External with ConnectionStrings:redis).";

    public const string PostgresMissing =
        "FaceSwap:Database=postgres needs PostgreSQL: `sudo apt-get install postgresql` (or start Docker, or set " +
        "ConnectionStrings:faceswapdb to an existing server).";

    public static string PortTaken(string owner, int port) =>
        $"port {port} ({owner}) is already in use: stop what listens there (`ss -ltnp 'sport = :{port}'` names it), " +
        "often an AppHost still running.";

    /// <summary>
    /// The full path of <paramref name="command"/> as the orchestrator would start it: a path as given, else the
    /// first executable file of that name in a <paramref name="path"/> folder; null when there is none.
    /// </summary>
    public static string? FindOnPath(string command, string? path)
    {
        if (command.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return IsExecutable(command) ? Path.GetFullPath(command) : null;
        }

        foreach (var folder in (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, command);
            if (IsExecutable(candidate))
            {
                return candidate;
            }

            if (OperatingSystem.IsWindows() && IsExecutable(candidate + ".exe"))
            {
                return candidate + ".exe";
            }
        }

        return null;
    }

    /// <summary>Whether something listens on <paramref name="port"/> of the loopback interface already.</summary>
    public static bool PortInUse(int port)
    {
        // Binding, not connecting: a listener on any address (0.0.0.0, 127.0.0.1) makes the bind fail, and nothing is sent.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            return true;
        }
    }

    /// <summary>The ports the app model and the launch profile fix: the resources' host ports and the dashboard's.</summary>
    private static IEnumerable<(string Owner, int Port)> FixedPorts(IDistributedApplicationBuilder builder)
    {
        foreach (var resource in builder.Resources)
        {
            foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>())
            {
                if (endpoint.Port is int port and > 0)
                {
                    yield return ($"{resource.Name} {endpoint.Name}", port);
                }
            }
        }

        foreach (var key in DashboardUrlKeys)
        {
            foreach (var url in (builder.Configuration[key] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Port > 0)
                {
                    yield return ($"dashboard, {key}", uri.Port);
                }
            }
        }
    }

    private static bool IsExecutable(string file) =>
        File.Exists(file) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
}
