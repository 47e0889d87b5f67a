using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Aspire.Hosting;

/// <summary>How the app gets its Redis; <c>FaceSwap:RedisMode</c> forces one.</summary>
public enum RedisMode
{
    /// <summary>A container when a container runtime answers, else the local binary.</summary>
    Auto,
    Container,
    Local,
    /// <summary>An existing server named by <c>ConnectionStrings:redis</c>.</summary>
    External,
}

public static class RedisResourceExtensions
{
    /// <summary>
    /// Adds the app's Redis. Publish mode always gets the regular Redis resource, so the manifest describes a
    /// proper Redis container whatever the developer's machine has.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddFaceSwapRedis(
        this IDistributedApplicationBuilder builder, string name, string dataDirectory)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            // Append-only persistence on a volume in the cloud too: a Redis restart must not lose queued jobs.
            return builder.AddRedis(name).WithDataVolume().WithArgs("--appendonly", "yes");
        }

        var mode = builder.Configuration.GetValue("FaceSwap:RedisMode", RedisMode.Auto);
        if (mode == RedisMode.Auto)
        {
            mode = !string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(name)) ? RedisMode.External
                : FaceSwap.AppHost.ContainerRuntime.Answers() ? RedisMode.Container
                : RedisMode.Local;
        }

        return mode switch
        {
            RedisMode.External => builder.AddConnectionString(name),
            // Append-only persistence on a volume: a Redis restart must not lose queued jobs.
            RedisMode.Container => builder.AddRedis(name).WithDataVolume().WithArgs("--appendonly", "yes"),
            _ => builder.AddLocalRedisServer(name, Path.Combine(dataDirectory, name)),
        };
    }

    /// <summary>
    /// Runs the local <c>redis-server</c> with append-only persistence (fsync on every write: a restart, even a
    /// crash, loses no acknowledged job; swaps are few and heavy, so the cost does not matter) and a PING health check.
    /// </summary>
    public static IResourceBuilder<LocalRedisResource> AddLocalRedisServer(
        this IDistributedApplicationBuilder builder, string name, string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var resource = new LocalRedisResource(name, dataDirectory);

        string? connectionString = null;
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(resource, async (_, cancellationToken) =>
            connectionString = await resource.ConnectionStringExpression.GetValueAsync(cancellationToken));

        var healthCheckKey = $"{name}_ping";
        builder.Services.AddHealthChecks().AddRedis(
            _ => connectionString ?? throw new InvalidOperationException($"Redis '{name}' has not started yet."),
            name: healthCheckKey);

        return builder.AddResource(resource)
            .WithEndpoint(name: LocalRedisResource.EndpointName, scheme: "tcp", isProxied: false)
            .WithArgs(context =>
            {
                context.Args.Add("--port");
                context.Args.Add(resource.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("--bind");
                context.Args.Add("127.0.0.1");
                context.Args.Add("--dir");
                context.Args.Add(dataDirectory);
                context.Args.Add("--appendonly");
                context.Args.Add("yes");
                context.Args.Add("--appendfsync");
                context.Args.Add("always");
                // No RDB snapshots next to the AOF: one persistence mechanism is enough and keeps the folder small.
                context.Args.Add("--save");
                context.Args.Add("");
            })
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }
}
