namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// The machine's own <c>redis-server</c> binary run by the orchestrator, for machines with no container
/// runtime. <c>AddRedis</c> always needs a container, and with no Docker daemon the app would wait forever.
/// </summary>
public sealed class LocalRedisResource(string name, string workingDirectory)
    : ExecutableResource(name, "redis-server", workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    private EndpointReference? _endpoint;

    public EndpointReference PrimaryEndpoint => _endpoint ??= new(this, EndpointName);

    // 127.0.0.1 rather than "localhost": the server binds IPv4 loopback only, and a client that tries ::1 first
    // would wait for a refused connection.
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"127.0.0.1:{PrimaryEndpoint.Property(EndpointProperty.TargetPort)}");
}
