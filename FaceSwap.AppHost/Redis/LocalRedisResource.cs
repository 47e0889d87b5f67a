using FaceSwap.AppHost.Redis;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// The machine's own <c>redis-server</c> binary run by the orchestrator, for machines with no container
/// runtime. <c>AddRedis</c> always needs a container, and with no Docker daemon the app would wait forever.
/// Clients sign in as one of <see cref="RedisAcl"/>'s users, each with a password generated for the run.
/// </summary>
public sealed class LocalRedisResource(string name, string workingDirectory, IReadOnlyDictionary<string, ParameterResource> passwords)
    : ExecutableResource(name, "redis-server", workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    private EndpointReference? _endpoint;

    public EndpointReference PrimaryEndpoint => _endpoint ??= new(this, EndpointName);

    /// <summary>Each ACL user's password (<see cref="RedisAcl.BotApiUser"/>, <see cref="RedisAcl.ProcessorUser"/>).</summary>
    public IReadOnlyDictionary<string, ParameterResource> Passwords => passwords;

    /// <summary>As the bot API (the orchestrator's own PING uses it too).</summary>
    public ReferenceExpression ConnectionStringExpression => ConnectionStringFor(RedisAcl.BotApiUser);

    // 127.0.0.1 rather than "localhost": the server binds IPv4 loopback only, and a client that tries ::1 first
    // would wait for a refused connection.
    public ReferenceExpression ConnectionStringFor(string user) =>
        ReferenceExpression.Create($"127.0.0.1:{PrimaryEndpoint.Property(EndpointProperty.TargetPort)},user={user},password={passwords[user]}");
}
