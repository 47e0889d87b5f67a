using FaceSwap.AppHost.Postgres;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// Debian's PostgreSQL server run by the orchestrator, for machines with no container runtime (as
/// <see cref="LocalRedisResource"/> is for Redis): <c>AddPostgres</c> always needs a container. Runs as the
/// <c>postgres</c> OS user when the AppHost runs as root (see <see cref="PostgresBinaries"/>).
/// </summary>
public sealed class LocalPostgresResource(string name, string dataDirectory, string databaseName)
    : ExecutableResource(name, PostgresBinaries.Command("postgres").FileName, Path.GetDirectoryName(dataDirectory)!), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    private EndpointReference? _endpoint;

    public EndpointReference PrimaryEndpoint => _endpoint ??= new(this, EndpointName);

    /// <summary>The cluster's folder (initdb's target), under the AppHost's data folder.</summary>
    public string DataDirectory { get; } = dataDirectory;

    public string DatabaseName { get; } = databaseName;

    // Loopback only, trust authentication: a developer's local server (initdb -A trust), never a deployed one.
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"Host=127.0.0.1;Port={PrimaryEndpoint.Property(EndpointProperty.TargetPort)};Username=postgres;Database={DatabaseName}");
}
