using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;
using FaceSwap.AppHost;
using FaceSwap.AppHost.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Aspire.Hosting;

public static class PostgresResourceExtensions
{
    /// <summary>The database the bot API keeps its state in when <c>FaceSwap:Database=postgres</c>.</summary>
    public const string DatabaseName = "faceswap";

    /// <summary>
    /// The bot API's PostgreSQL database for a local run: an existing server when <c>ConnectionStrings:{name}</c> is
    /// set, else a container when a container runtime answers, else Debian's binaries as an executable resource.
    /// The container's data and the local cluster persist between runs, as the SQLite file does.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddFaceSwapPostgres(
        this IDistributedApplicationBuilder builder, string name, string dataDirectory)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(name)))
        {
            return builder.AddConnectionString(name);
        }

        // FaceSwap:PostgresMode=container|local forces one (as FaceSwap:RedisMode does for Redis); tests force local.
        var mode = builder.Configuration["FaceSwap:PostgresMode"];
        if (mode == "container" || (mode != "local" && ContainerRuntime.Answers()))
        {
            return builder.AddPostgres("postgres").WithDataVolume().AddDatabase(name, DatabaseName);
        }

        return builder.AddLocalPostgresServer(name, Path.Combine(dataDirectory, "postgres"));
    }

    /// <summary>
    /// Runs Debian's <c>postgres</c> on a loopback port with its cluster under <paramref name="directory"/>; the first
    /// start creates the cluster (initdb) and the database. A connection health check tells when it takes queries.
    /// </summary>
    public static IResourceBuilder<LocalPostgresResource> AddLocalPostgresServer(
        this IDistributedApplicationBuilder builder, string name, string directory)
    {
        var resource = new LocalPostgresResource(name, Path.Combine(directory, "data"), DatabaseName);

        string? connectionString = null;
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(resource, async (_, cancellationToken) =>
        {
            await InitializeClusterAsync(resource, directory, cancellationToken);
            connectionString = await resource.ConnectionStringExpression.GetValueAsync(cancellationToken);
        });

        var healthCheckKey = $"{name}_connect";
        builder.Services.AddHealthChecks().AddNpgSql(
            _ => connectionString ?? throw new InvalidOperationException($"PostgreSQL '{name}' has not started yet."),
            name: healthCheckKey);

        var (_, prefix) = PostgresBinaries.Command("postgres");
        return builder.AddResource(resource)
            .WithEndpoint(name: LocalPostgresResource.EndpointName, scheme: "tcp", isProxied: false)
            .WithArgs(context =>
            {
                foreach (var argument in prefix)
                {
                    context.Args.Add(argument);
                }

                context.Args.Add("-D");
                context.Args.Add(resource.DataDirectory);
                context.Args.Add("-p");
                context.Args.Add(resource.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("-c");
                context.Args.Add("listen_addresses=127.0.0.1");
                // The Unix socket in the cluster's own folder: /var/run/postgresql may not exist or be writable.
                context.Args.Add("-k");
                context.Args.Add(resource.DataDirectory);
            })
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }

    /// <summary>initdb on the first run, then the database in single-user mode (no server needs to be up for it).</summary>
    private static async Task InitializeClusterAsync(LocalPostgresResource resource, string directory, CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(resource.DataDirectory, "PG_VERSION")))
        {
            return;
        }

        PostgresBinaries.CreateDataDirectoryParent(directory);
        await RunAsync(PostgresBinaries.Command("initdb", "-D", resource.DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C"),
            input: null, cancellationToken);
        await RunAsync(PostgresBinaries.Command("postgres", "--single", "-D", resource.DataDirectory, "postgres"),
            input: $"CREATE DATABASE {resource.DatabaseName};\n", cancellationToken);
    }

    private static async Task RunAsync((string FileName, IReadOnlyList<string> Arguments) command, string? input, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command.FileName} did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', command.Arguments)} failed ({process.ExitCode}): {await output}{await error}");
        }
    }
}
