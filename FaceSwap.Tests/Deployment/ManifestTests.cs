using System.Reflection;
using System.Text.Json.Nodes;

namespace FaceSwap.Tests.Deployment;

/// <summary>What the deployment needs from the AppHost's manifest (azd turns it into Azure Container Apps).</summary>
internal static class ManifestExpectations
{
    /// <summary>AppHost parameters that carry secrets; azd prompts for them or reads AZURE_{NAME_IN_SNAKE_CASE}.</summary>
    public static readonly string[] SecretParameters =
    [
        "telegram-bot-token",
        "telegram-webhook-secret",
        "stripe-secret-key",
        "stripe-webhook-secret",
        "magicapi-key",
        "ops-api-key",
        "media-signing-key",
    ];

    /// <summary>Secret parameters azd generates and keeps in its environment, as Aspire's own <c>redis-password</c>.</summary>
    public static readonly string[] GeneratedSecretParameters = ["redis-password", "redis-botapi-password", "redis-processor-password"];
}

/// <summary>
/// Generates the manifest the way azd does (the AppHost run with <c>--publisher manifest</c>), once for all tests of
/// the class, from the AppHost build that this test project's reference produced.
/// </summary>
public sealed class ManifestFixture : IAsyncLifetime
{
    private readonly DirectoryInfo outputDir = Directory.CreateTempSubdirectory("faceswap-manifest-");

    public JsonObject Resources { get; private set; } = [];

    /// <summary>Folder the manifest was written to: its relative paths start here.</summary>
    public string ManifestDir => outputDir.FullName;

    public async Task InitializeAsync()
    {
        var configuration = typeof(ManifestFixture).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var appHostDir = RepositoryFiles.PathOf("FaceSwap.AppHost");
        var appHostDll = Path.Combine(appHostDir, "bin", configuration, "net10.0", "FaceSwap.AppHost.dll");
        Assert.True(File.Exists(appHostDll), $"AppHost build not found at {appHostDll}");

        var manifestPath = Path.Combine(outputDir.FullName, "manifest.json");
        var result = await ProcessRunner.RunAsync(
            "dotnet",
            [appHostDll, "--publisher", "manifest", "--output-path", manifestPath],
            appHostDir,
            TimeSpan.FromMinutes(2),
            new Dictionary<string, string> { ["DOTNET_ENVIRONMENT"] = "Production" });
        Assert.True(result.ExitCode == 0 && File.Exists(manifestPath), $"manifest generation failed: {result}");

        Resources = JsonNode.Parse(await File.ReadAllTextAsync(manifestPath))!["resources"]!.AsObject();
    }

    public Task DisposeAsync()
    {
        outputDir.Delete(recursive: true);
        return Task.CompletedTask;
    }
}

public class ManifestTests(ManifestFixture manifest) : IClassFixture<ManifestFixture>
{
    private JsonNode Resource(string name) =>
        manifest.Resources[name] ?? throw new Xunit.Sdk.XunitException(
            $"manifest has no resource '{name}'; it has: {string.Join(", ", manifest.Resources.Select(r => r.Key))}");

    private static string TypeOf(JsonNode resource) => (string?)resource["type"] ?? "";

    private static Dictionary<string, string> EnvOf(JsonNode resource) =>
        resource["env"]?.AsObject().ToDictionary(e => e.Key, e => (string?)e.Value ?? "") ?? [];

    [Fact]
    public void Redis_botapi_and_processor_are_deployed()
    {
        Assert.StartsWith("container.", TypeOf(Resource("redis")), StringComparison.Ordinal);
        Assert.Contains("redis", (string?)Resource("redis")["image"] ?? "", StringComparison.Ordinal);
        Assert.Equal("project.v0", TypeOf(Resource("botapi")));
        Assert.NotNull(Resource("processor"));
    }

    /// <summary>The parameter's input, asserted to be a secret parameter's.</summary>
    private JsonNode? SecretInput(string name)
    {
        var parameter = Resource(name);
        Assert.Equal("parameter.v0", TypeOf(parameter));
        Assert.True((bool?)parameter["inputs"]?["value"]?["secret"] == true, $"parameter {name} is not secret: {parameter.ToJsonString()}");
        return parameter["inputs"]?["value"];
    }

    [Fact]
    public void Secrets_are_secret_parameters()
    {
        foreach (var name in ManifestExpectations.SecretParameters)
        {
            SecretInput(name);
        }
    }

    [Fact]
    public void Telegram_and_stripe_secrets_reach_only_the_bot_api_and_every_secret_is_used()
    {
        var botapi = EnvOf(Resource("botapi")).Values.ToList();
        var processor = EnvOf(Resource("processor")).Values.ToList();
        foreach (var name in ManifestExpectations.SecretParameters.Where(n => n.StartsWith("telegram-", StringComparison.Ordinal) || n.StartsWith("stripe-", StringComparison.Ordinal)))
        {
            Assert.Contains(botapi, value => value.Contains($"{{{name}.value}}", StringComparison.Ordinal));
            // The processor is compute only: it never holds the bot token or payment keys.
            Assert.DoesNotContain(processor, value => value.Contains($"{{{name}.", StringComparison.Ordinal));
        }

        var everyValue = manifest.Resources.SelectMany(r => EnvOf(r.Value!).Values).ToList();
        Assert.Contains(everyValue, value => value.Contains("{magicapi-key.value}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("botapi")]
    [InlineData("processor")]
    public void Service_signs_in_to_redis_as_its_own_user_with_a_secret_reference_and_never_as_the_admin(string name)
    {
        var env = EnvOf(Resource(name));

        Assert.True(env.TryGetValue("ConnectionStrings__redis", out var connection), $"{name} has no ConnectionStrings__redis");
        // The service's name is its Redis user's (RedisAcl.BotApiUser, RedisAcl.ProcessorUser).
        Assert.StartsWith($"{{redis.bindings.tcp.host}}:{{redis.bindings.tcp.port}},user={name},password={{redis-{name}-password.value}}", connection, StringComparison.Ordinal);
        // The one password in it is that reference: no literal.
        Assert.Single(connection.Split(','), part => part.StartsWith("password=", StringComparison.Ordinal));
        // Not the admin: neither the resource's own connection string nor Aspire's REDIS_PASSWORD (the default user's).
        Assert.DoesNotContain(env.Values, value => value.Contains("{redis.connectionString}", StringComparison.Ordinal) || value.Contains("{redis-password", StringComparison.Ordinal));
        Assert.DoesNotContain(env.Keys, key => key.StartsWith("REDIS_", StringComparison.Ordinal));
    }

    [Fact]
    public void Redis_passwords_are_generated_secret_parameters()
    {
        foreach (var name in ManifestExpectations.GeneratedSecretParameters)
        {
            Assert.True(SecretInput(name)?["default"]?["generate"] is not null, $"parameter {name} is not generated");
        }
    }

    [Fact]
    public void Redis_container_starts_with_both_users_from_environment_references_and_its_arguments_hold_no_password()
    {
        var redis = Resource("redis");
        var env = EnvOf(redis);

        Assert.Equal("/bin/sh", (string?)redis["entrypoint"]);
        var args = redis["args"]!.AsArray().Select(arg => (string?)arg ?? "").ToList();
        // One `-c` line: an argument after it would reach the shell as $0, not redis-server.
        Assert.Equal(["-c", args[1]], args);
        Assert.StartsWith("redis-server --requirepass $REDIS_PASSWORD ", args[1], StringComparison.Ordinal);
        Assert.Contains("--appendonly yes --appendfsync everysec", args[1], StringComparison.Ordinal);
        foreach (var user in new[] { "botapi", "processor" })
        {
            var variable = $"REDIS_{user.ToUpperInvariant()}_PASSWORD";
            Assert.Contains($"--user '{user}' on \">${{{variable}}}\" 'resetkeys'", args[1], StringComparison.Ordinal);
            Assert.Equal($"{{redis-{user}-password.value}}", env.GetValueOrDefault(variable));
        }

        Assert.Equal("{redis-password.value}", env.GetValueOrDefault("REDIS_PASSWORD"));
        // Every value of the container's environment is a reference, so no password is written out.
        Assert.All(env, e => Assert.Matches("^\\{[^{}]+\\}$", e.Value));
    }

    [Fact]
    public void Bot_api_has_an_external_http_endpoint_for_the_webhooks()
    {
        var bindings = Resource("botapi")["bindings"]?.AsObject() ?? [];

        // Telegram and Stripe call in from outside; without an external binding azd creates no public ingress.
        Assert.Contains(bindings, b => (string?)b.Value!["scheme"] is "http" or "https" && (bool?)b.Value["external"] == true);
    }

    [Fact]
    public void Bot_api_database_sits_on_the_mounted_share_without_wal()
    {
        var env = EnvOf(Resource("botapi"));

        // BotApi refuses to start without a database; in the cloud it lives on the Azure Files share at /data.
        Assert.True(env.TryGetValue("ConnectionStrings__faceswapdb", out var database), "botapi has no ConnectionStrings__faceswapdb");
        Assert.StartsWith("Data Source=/data/", database, StringComparison.Ordinal);
        // WAL needs shared memory, which an SMB share cannot give.
        Assert.True(env.TryGetValue("Database__JournalMode", out var journal) && journal is "DELETE" or "TRUNCATE", $"journal mode on Azure Files: {journal}");
    }

    [Fact]
    public void Bot_api_registers_its_webhook_at_its_public_https_address()
    {
        var env = EnvOf(Resource("botapi"));

        Assert.True(env.TryGetValue("Telegram__PublicUrl", out var publicUrl), "botapi has no Telegram__PublicUrl");
        Assert.Equal("{botapi.bindings.https.url}", publicUrl);
    }

    [Fact]
    public void Processor_image_is_built_from_its_dockerfile()
    {
        var processor = Resource("processor");

        // The Dockerfile adds dlib's landmark model, which the SDK-built image lacks.
        Assert.Equal("container.v1", TypeOf(processor));
        var dockerfile = Path.GetFullPath(Path.Combine(manifest.ManifestDir, (string?)processor["build"]?["dockerfile"] ?? ""));
        var context = Path.GetFullPath(Path.Combine(manifest.ManifestDir, (string?)processor["build"]?["context"] ?? ""));
        Assert.Equal(RepositoryFiles.PathOf("FaceSwap.Processor", "Dockerfile"), dockerfile);
        // The Dockerfile copies the whole solution (shared projects, central package versions).
        Assert.Equal(RepositoryFiles.Root, context.TrimEnd(Path.DirectorySeparatorChar));
    }

    [Fact]
    public void No_local_only_resources_are_deployed()
    {
        Assert.False(manifest.Resources.ContainsKey("telegram-emulator"), "the Telegram emulator is local only");
        foreach (var (name, resource) in manifest.Resources)
        {
            var type = TypeOf(resource!);
            var command = (string?)resource!["command"] ?? "";
            // Executables run on the developer's machine (the local redis-server stand-in): none belongs in the cloud.
            Assert.False(type.StartsWith("executable.", StringComparison.Ordinal), $"{name} is an executable ({command})");
            Assert.DoesNotContain("redis-server", command, StringComparison.Ordinal);
            Assert.DoesNotContain(EnvOf(resource).Values, value => value.Contains("{telegram-emulator.", StringComparison.Ordinal));
        }
    }
}
