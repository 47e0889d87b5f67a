using Aspire.Hosting.ApplicationModel;
using FaceSwap.AppHost.Redis;
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
            return builder.AddRedis(name).WithDataVolume().WithArgs(AppendOnly);
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
            RedisMode.Container => builder.AddRedis(name).WithDataVolume().WithArgs(AppendOnly),
            _ => builder.AddLocalRedisServer(name, Path.Combine(dataDirectory, name)),
        };
    }

    /// <summary>
    /// Append-only persistence, written to disk once a second (<c>appendfsync everysec</c>): a crash of the Redis host
    /// loses at most the last second of writes, never a user's credit. A job lost that way is still in the bot API's
    /// database as dispatched, and the job sweeper puts it on the stream again once it is stuck
    /// (<c>JobSweeper:StuckAfter</c>); a lost result is redone the same way. <c>always</c> would cost an fsync per
    /// stream entry and nudge, for every writer, to save what the sweeper already saves (docs/operations/queues.md).
    /// </summary>
    public static readonly string[] AppendOnly = ["--appendonly", "yes", "--appendfsync", "everysec"];

    /// <summary>
    /// Runs the local <c>redis-server</c> with append-only persistence (<see cref="AppendOnly"/>), the users of
    /// <see cref="RedisAcl"/> (an aclfile written before each start, with passwords generated for the run; the
    /// default user is off) and a PING health check.
    /// </summary>
    public static IResourceBuilder<LocalRedisResource> AddLocalRedisServer(
        this IDistributedApplicationBuilder builder, string name, string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var passwords = new[] { RedisAcl.BotApiUser, RedisAcl.ProcessorUser }.ToDictionary(user => user, user =>
            builder.AddParameter($"{name}-{user}-password", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true).Resource);
        var resource = new LocalRedisResource(name, dataDirectory, passwords);
        var aclFile = Path.Combine(dataDirectory, "users.acl");

        string? connectionString = null;
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(resource, async (_, cancellationToken) =>
        {
            var botApi = await passwords[RedisAcl.BotApiUser].GetValueAsync(cancellationToken);
            var processor = await passwords[RedisAcl.ProcessorUser].GetValueAsync(cancellationToken);
            await File.WriteAllTextAsync(aclFile, RedisAcl.FileText(botApi!, processor!), cancellationToken);
            connectionString = await resource.ConnectionStringExpression.GetValueAsync(cancellationToken);
        });

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
                context.Args.Add("--aclfile");
                context.Args.Add(aclFile);
                foreach (var arg in AppendOnly)
                {
                    context.Args.Add(arg);
                }

                // No RDB snapshots next to the AOF: one persistence mechanism is enough and keeps the folder small.
                context.Args.Add("--save");
                context.Args.Add("");
            })
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }

    /// <summary>
    /// Gives a service Redis as one ACL user (<c>ConnectionStrings__redis</c>) when Redis is the local server; a
    /// container or an external server is referenced as before, with its one connection string.
    /// </summary>
    public static IResourceBuilder<T> WithRedisUser<T>(this IResourceBuilder<T> service, IResourceBuilder<IResourceWithConnectionString> redis, string user)
        where T : IResourceWithEnvironment =>
        redis.Resource is LocalRedisResource local
            ? service.WithEnvironment(context => context.EnvironmentVariables[$"ConnectionStrings__{local.Name}"] = local.ConnectionStringFor(user))
            : service.WithReference(redis);
}
