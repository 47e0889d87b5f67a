using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FaceSwap.Tests.Deployment;

/// <summary>
/// <c>FaceSwap:RedisMode=Container</c> (a developer's machine with Docker) gets the deployed Redis: the AppHost's model
/// is built, not started (no Docker daemon here), and the redis container's arguments, environment and the services'
/// connection strings are read from it. The command line itself is run on a real server by
/// <see cref="RedisContainerCommandTests"/>.
/// </summary>
public sealed class RedisContainerModeTests(ManifestFixture manifest) : IClassFixture<ManifestFixture>, IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "faceswap-containermode-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(2));
    private DistributedApplication _app = null!;
    private DistributedApplicationExecutionContext _executionContext = null!;

    public async Task InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FaceSwap_AppHost>(
            ["FaceSwap:RedisMode=Container", $"FaceSwap:DataDirectory={_dataDirectory}"], _timeout.Token);
        _executionContext = builder.ExecutionContext;
        // Built for its services (the callbacks read them); never started.
        _app = await builder.BuildAsync(_timeout.Token);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _timeout.Dispose();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private IResource Resource(string name) => _app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == name);

    [Fact]
    public async Task The_redis_container_runs_the_manifests_command_with_the_users_passwords_from_parameters()
    {
        var redis = Assert.IsType<RedisResource>(Resource("redis"));
        var args = new List<object>();
        var context = new CommandLineArgsCallbackContext(args, redis, _timeout.Token) { ExecutionContext = _executionContext };
        foreach (var callback in redis.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        // The orchestrator joins a RedisResource's arguments into `/bin/sh -c` itself.
#pragma warning disable ASPIRECONTAINERSHELLEXECUTION001
        Assert.True(redis.ShellExecution);
#pragma warning restore ASPIRECONTAINERSHELLEXECUTION001
        Assert.Equal("/bin/sh", redis.Entrypoint);
        Assert.Equal((string?)manifest.Resources["redis"]!["args"]![1], string.Join(' ', args.Select(arg => Assert.IsType<string>(arg))));

        var env = await EnvironmentOfAsync(redis);
        foreach (var user in new[] { "botapi", "processor" })
        {
            var password = Assert.IsType<ParameterResource>(env[$"REDIS_{user.ToUpperInvariant()}_PASSWORD"]);
            Assert.Equal($"redis-{user}-password", password.Name);
            Assert.True(password.Secret);
        }
    }

    [Theory]
    [InlineData("botapi")]
    [InlineData("processor")]
    public async Task Each_service_gets_its_own_users_connection_string_and_not_the_admins(string name)
    {
        var env = await EnvironmentOfAsync(Resource(name));

        var connection = Assert.IsType<ReferenceExpression>(env["ConnectionStrings__redis"]);
        // The same expression as in the manifest: address, this service's user and its password parameter.
        Assert.Equal((string?)manifest.Resources[name]!["env"]!["ConnectionStrings__redis"], connection.ValueExpression);
        Assert.Contains($",user={name},password={{redis-{name}-password.value}}", connection.ValueExpression, StringComparison.Ordinal);
        Assert.DoesNotContain(env.Keys, key => key.StartsWith("REDIS_", StringComparison.Ordinal));
    }

    private async Task<Dictionary<string, object>> EnvironmentOfAsync(IResource resource)
    {
        var env = new Dictionary<string, object>();
        var context = new EnvironmentCallbackContext(_executionContext, resource, env, _timeout.Token);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return env;
    }
}
