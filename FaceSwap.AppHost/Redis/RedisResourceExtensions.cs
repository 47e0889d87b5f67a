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
    /// Adds the app's Redis. Publish mode always gets the Redis container, so the manifest describes a proper Redis
    /// container whatever the developer's machine has.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddFaceSwapRedis(
        this IDistributedApplicationBuilder builder, string name, string dataDirectory)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return builder.AddRedisContainer(name);
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
            RedisMode.Container => builder.AddRedisContainer(name),
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
    /// Aspire's Redis container (image, volume, health check, the default user's generated <c>{name}-password</c>)
    /// started with <see cref="RedisAcl"/>'s users, each with its own generated secret parameter
    /// (<c>{name}-botapi-password</c>, <c>{name}-processor-password</c>) passed the way Aspire passes the default
    /// user's: as an environment variable that the container's <c>/bin/sh -c</c> expands, so no password is in the
    /// manifest or the container's arguments. The default user stays on as the admin (Aspire's health check, an
    /// operator); <see cref="WithRedisUser{T}"/> keeps the services off it.
    /// </summary>
    public static IResourceBuilder<RedisResource> AddRedisContainer(this IDistributedApplicationBuilder builder, string name)
    {
        var passwords = AddUserPasswords(builder, name);
        var redis = builder.AddRedis(name).WithDataVolume();

        // AddRedis's own command line is one `-c` string in publish mode, so arguments added after it would reach the
        // shell, not redis-server (that is how the deployed Redis lost `--appendonly yes`): this one replaces it.
        foreach (var aspireCommand in redis.Resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>().ToList())
        {
            redis.Resource.Annotations.Remove(aspireCommand);
        }

        foreach (var (user, password) in passwords)
        {
            redis.WithEnvironment(PasswordVariable(user), password);
        }

        string[] command =
        [
            "redis-server", "--requirepass", "$REDIS_PASSWORD",
            .. AppendOnly,
            // No RDB snapshots next to the AOF, as on the local server.
            "--save", "''",
            .. RedisAcl.Users.SelectMany(user => RedisAcl.ShellArguments(user, PasswordVariable(user))),
        ];
        return redis
            .WithArgs(context =>
            {
                // As AddRedis does: in run mode the orchestrator joins the arguments into `/bin/sh -c` itself
                // (RedisResource.ShellExecution) and appends its TLS arguments; the manifest needs the one string.
                if (context.ExecutionContext.IsRunMode)
                {
                    foreach (var arg in command)
                    {
                        context.Args.Add(arg);
                    }
                }
                else
                {
                    context.Args.Add("-c");
                    context.Args.Add(string.Join(' ', command));
                }
            })
            .WithAnnotation(new RedisUsersAnnotation(user => ReferenceExpression.Create(
                $"{redis.Resource.PrimaryEndpoint.Property(EndpointProperty.HostAndPort)},user={user},password={passwords[user]}{redis.Resource.PrimaryEndpoint.GetTlsValue(ReferenceExpression.Create($",ssl=true"), ReferenceExpression.Empty)}")));
    }

    /// <summary>The container's environment variable that holds a user's password, e.g. <c>REDIS_BOTAPI_PASSWORD</c>.</summary>
    public static string PasswordVariable(string user) => $"REDIS_{user.ToUpperInvariant()}_PASSWORD";

    private static Dictionary<string, ParameterResource> AddUserPasswords(IDistributedApplicationBuilder builder, string name) =>
        RedisAcl.Users.ToDictionary(user => user, user =>
            builder.AddParameter($"{name}-{user}-password", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true).Resource);

    /// <summary>
    /// Runs the local <c>redis-server</c> with append-only persistence (<see cref="AppendOnly"/>), the users of
    /// <see cref="RedisAcl"/> (an aclfile written before each start, with passwords generated for the run; the
    /// default user is off) and a PING health check.
    /// </summary>
    public static IResourceBuilder<LocalRedisResource> AddLocalRedisServer(
        this IDistributedApplicationBuilder builder, string name, string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var passwords = AddUserPasswords(builder, name);
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
            .WithAnnotation(new RedisUsersAnnotation(resource.ConnectionStringFor))
            .ExcludeFromManifest();
    }

    /// <summary>
    /// Gives a service Redis as one ACL user (<c>ConnectionStrings__redis</c>) when the app runs Redis (local server,
    /// container, Azure); never the admin's connection string nor Aspire's <c>REDIS_PASSWORD</c>, which
    /// <c>WithReference</c> would add. An external server is referenced as before, with its one connection string.
    /// </summary>
    public static IResourceBuilder<T> WithRedisUser<T>(this IResourceBuilder<T> service, IResourceBuilder<IResourceWithConnectionString> redis, string user)
        where T : IResourceWithEnvironment =>
        redis.Resource.TryGetLastAnnotation<RedisUsersAnnotation>(out var users)
            ? service.WithEnvironment($"ConnectionStrings__{redis.Resource.Name}", users.ConnectionStringFor(user)).WithReferenceRelationship(redis.Resource)
            : service.WithReference(redis);
}
