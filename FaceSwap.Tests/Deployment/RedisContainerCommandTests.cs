using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FaceSwap.AppHost.Redis;
using FaceSwap.Contracts;
using FaceSwap.Tests.Support;
using StackExchange.Redis;

namespace FaceSwap.Tests.Deployment;

/// <summary>
/// The Redis container's command line exactly as the manifest gives it (container mode passes the same arguments),
/// run by this machine's redis-server with its environment's references filled in, and the services' connection
/// strings from the manifest filled in the same way: each service signs in as its own user, with the rules the local
/// server's aclfile gives (so FaceSwap.Tests/Queue/RedisAclTests covers both), and the default user is the admin.
/// </summary>
public sealed partial class RedisContainerCommandTests(ManifestFixture manifest) : IClassFixture<ManifestFixture>
{
    private readonly Dictionary<string, string> _values = new()
    {
        ["redis-password"] = "admin" + Guid.NewGuid().ToString("N"),
        ["redis-botapi-password"] = Guid.NewGuid().ToString("N"),
        ["redis-processor-password"] = Guid.NewGuid().ToString("N"),
    };

    private JsonNode Redis => manifest.Resources["redis"]!;

    [Fact]
    public async Task The_manifest_command_gives_the_users_the_same_rules_as_the_local_aclfile()
    {
        await using var container = await StartContainerCommandAsync();
        const string aclfileAdmin = "test-admin-5d2a";
        await using var local = await RedisServer.StartAsync(["--aclfile", "users.acl"], $",user=admin,password={aclfileAdmin}", directory =>
            File.WriteAllText(Path.Combine(directory, "users.acl"),
                RedisAcl.FileText(_values["redis-botapi-password"], _values["redis-processor-password"]) + $"user admin on >{aclfileAdmin} ~* &* +@all\n"));

        var fromContainer = await UsersAsync(container.ConnectionString + $",password={_values["redis-password"]}");
        var fromAclfile = await UsersAsync(local.ConnectionString + $",user=admin,password={aclfileAdmin}");

        Assert.Equal(2, fromContainer.Count);
        // Same passwords, so the same hashes: the descriptions match only if every rule does.
        Assert.Equal(fromAclfile, fromContainer);
    }

    [Fact]
    public async Task The_processor_signed_in_with_its_manifest_connection_string_is_refused_a_bot_api_key_and_allowed_its_own()
    {
        await using var container = await StartContainerCommandAsync();
        await using var botApi = await ConnectionMultiplexer.ConnectAsync(ServiceConnectionString("botapi", container));
        await using var processor = await ConnectionMultiplexer.ConnectAsync(ServiceConnectionString("processor", container));
        var photo = QueueNames.BlobPrefix + "user:42:" + Guid.NewGuid().ToString("N");
        await botApi.GetDatabase().StringSetAsync(photo, new byte[] { 1, 2, 3 });
        var db = processor.GetDatabase();

        // Its own: read the photo, write a result and put it on the results stream.
        Assert.Equal(new byte[] { 1, 2, 3 }, (byte[]?)await db.StringGetAsync(photo));
        Assert.True(await db.StringSetAsync(QueueNames.ResultBlobKey("job-1"), new byte[] { 4 }));
        await db.StreamAddAsync(QueueNames.Results, "payload", "{}");

        // The bot API's: queue a job, overwrite a user's photo.
        foreach (var command in new Func<Task>[]
                 {
                     () => db.StreamAddAsync(QueueNames.Jobs, "payload", "{}"),
                     () => db.StringSetAsync(photo, new byte[] { 0 }),
                 })
        {
            Assert.StartsWith("NOPERM", (await Assert.ThrowsAsync<RedisServerException>(command)).Message, StringComparison.Ordinal);
        }

        await botApi.GetDatabase().StreamAddAsync(QueueNames.Jobs, "payload", "{}");

        // The default user is the admin: its password opens everything, no password opens nothing.
        await using var admin = await ConnectionMultiplexer.ConnectAsync(container.ConnectionString + $",password={_values["redis-password"]}");
        Assert.Equal(1, await admin.GetDatabase().StreamLengthAsync(QueueNames.Jobs));
        await using var anonymous = await ConnectionMultiplexer.ConnectAsync(container.ConnectionString);
        await Assert.ThrowsAnyAsync<RedisException>(() => anonymous.GetDatabase().StringGetAsync(photo));
    }

    private Task<RedisServer> StartContainerCommandAsync()
    {
        Assert.Equal("/bin/sh", (string?)Redis["entrypoint"]);
        var args = Redis["args"]!.AsArray().Select(arg => (string?)arg ?? "").ToList();
        Assert.Equal("-c", args[0]);
        var environment = Redis["env"]!.AsObject().ToDictionary(e => e.Key, e => Resolve((string?)e.Value ?? "", port: null));
        return RedisServer.StartShellAsync(args[1], environment, $",password={_values["redis-password"]}");
    }

    /// <summary>The service's <c>ConnectionStrings__redis</c> from the manifest, with the test server's address and the passwords filled in.</summary>
    private string ServiceConnectionString(string service, RedisServer server) =>
        Resolve((string?)manifest.Resources[service]!["env"]!["ConnectionStrings__redis"] ?? "", server.Port) + ",abortConnect=false,connectTimeout=2000,syncTimeout=2000";

    /// <summary>Fills in a manifest value's references as azd would; a reference this test does not know fails it.</summary>
    private string Resolve(string value, int? port) => Reference().Replace(value, match => match.Groups[1].Value switch
    {
        "redis.bindings.tcp.host" => "127.0.0.1",
        "redis.bindings.tcp.port" => port?.ToString() ?? throw new Xunit.Sdk.XunitException("the container's environment names its port"),
        var name when name.EndsWith(".value", StringComparison.Ordinal) && _values.TryGetValue(name[..^".value".Length], out var password) => password,
        // The TLS switch is empty: TLS is off in the manifest.
        var name when name.StartsWith("cond-redis-bindings-tcp-tlsenabled-", StringComparison.Ordinal) && (string?)manifest.Resources[name.Split('.')[0]]?["connectionString"] == "" => "",
        var name => throw new Xunit.Sdk.XunitException($"unknown manifest reference {{{name}}} in {value}"),
    });

    private static async Task<List<string>> UsersAsync(string adminConnectionString)
    {
        await using var admin = await ConnectionMultiplexer.ConnectAsync(adminConnectionString);
        var lines = (RedisResult[])(await admin.GetDatabase().ExecuteAsync("ACL", "LIST"))!;
        return lines.Select(line => line.ToString())
            .Where(line => line.StartsWith($"user {RedisAcl.BotApiUser} ", StringComparison.Ordinal) || line.StartsWith($"user {RedisAcl.ProcessorUser} ", StringComparison.Ordinal))
            .Select(Canonical)
            .ToList();
    }

    /// <summary>
    /// An <c>ACL LIST</c> line with its commands in order: the server lists them from a hash table whose order
    /// differs between two servers. The line's root rules and each selector's are sorted apart.
    /// </summary>
    private static string Canonical(string line)
    {
        var selectors = Selector().Matches(line).Select(match => string.Join(' ', match.Value.Trim('(', ')').Split(' ').Order(StringComparer.Ordinal)));
        var root = Selector().Replace(line, "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal);
        return string.Join(' ', root) + string.Concat(selectors.Order(StringComparer.Ordinal).Select(selector => $" ({selector})"));
    }

    [GeneratedRegex(@"\([^()]*\)")]
    private static partial Regex Selector();

    [GeneratedRegex(@"\{([^{}]+)\}")]
    private static partial Regex Reference();
}
