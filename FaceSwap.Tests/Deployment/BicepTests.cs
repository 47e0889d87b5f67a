using System.Reflection;
using System.Text.Json.Nodes;

namespace FaceSwap.Tests.Deployment;

/// <summary>
/// Every .bicep file in infra/ compiles and passes the Bicep linter with no error and no warning, using the
/// Bicep CLI that `dotnet restore` brings from NuGet (Azure.Bicep.CommandLine.linux-x64, a PackageDownload of
/// this project), and the PostgreSQL module keeps the settings docs/operations/deploy.md promises.
/// </summary>
public class BicepTests
{
    // The CLI is a self-contained .NET app: its first start takes a few seconds on a busy machine.
    private static readonly TimeSpan BicepTimeout = TimeSpan.FromMinutes(3);

    private static List<string> BicepFiles() =>
        [.. Directory.GetFiles(RepositoryFiles.PathOf("infra"), "*.bicep").Select(file => Path.GetFileName(file)).Order(StringComparer.Ordinal)];

    public static TheoryData<string> InfraFiles() => [.. BicepFiles()];

    [Fact]
    public void Infra_holds_the_azd_entry_point_its_resources_and_the_postgres_module()
    {
        Assert.Equal(["main.bicep", "postgres.bicep", "resources.bicep"], BicepFiles());
    }

    [Theory]
    [MemberData(nameof(InfraFiles))]
    public async Task Bicep_file_builds_without_errors_or_warnings(string file)
    {
        var result = await BicepAsync("build", RepositoryFiles.PathOf("infra", file), "--stdout");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("Warning", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Error", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(InfraFiles))]
    public async Task Bicep_file_passes_the_linter(string file)
    {
        var result = await BicepAsync("lint", RepositoryFiles.PathOf("infra", file));

        Assert.True(result.ExitCode == 0 && result.Output.Trim().Length == 0, result.ToString());
    }

    [Fact]
    public async Task Linter_fails_on_a_secret_in_an_output_and_an_unused_parameter()
    {
        // The same bicepconfig.json as infra/, so this shows that infra/'s rules turn these findings into failures.
        var dir = Directory.CreateTempSubdirectory("faceswap-bicep-");
        try
        {
            File.Copy(RepositoryFiles.PathOf("infra", "bicepconfig.json"), Path.Combine(dir.FullName, "bicepconfig.json"));
            var file = Path.Combine(dir.FullName, "leak.bicep");
            await File.WriteAllTextAsync(file, "@secure()\nparam password string\nparam unused string\noutput leaked string = password\n");

            var build = await BicepAsync("build", file, "--stdout");
            var lint = await BicepAsync("lint", file);

            Assert.True(build.ExitCode != 0, build.ToString());
            Assert.True(lint.ExitCode != 0, lint.ToString());
            Assert.Contains("outputs-should-not-contain-secrets", lint.Output, StringComparison.Ordinal);
            Assert.Contains("no-unused-params", lint.Output, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Postgres_module_is_a_tls_only_version_16_burstable_server_with_managed_backups_and_a_vault_secret()
    {
        var template = await BuildAsync("postgres.bicep");
        var parameters = template["parameters"]!;
        var resources = Resources(template);

        var server = Assert.Single(resources, r => (string?)r["type"] == "Microsoft.DBforPostgreSQL/flexibleServers");
        Assert.Equal("16", (string?)server["properties"]!["version"]);
        Assert.Equal("Enabled", (string?)server["properties"]!["storage"]!["autoGrow"]);
        Assert.Equal("Standard_B1ms", (string?)parameters["skuName"]!["defaultValue"]);
        Assert.Equal("Burstable", (string?)parameters["skuTier"]!["defaultValue"]);
        Assert.Equal((7, 35), ((int)parameters["backupRetentionDays"]!["minValue"]!, (int)parameters["backupRetentionDays"]!["maxValue"]!));
        Assert.False((bool)parameters["highAvailability"]!["defaultValue"]!);
        Assert.Equal("securestring", (string?)parameters["administratorPassword"]!["type"]);

        var settings = resources.Where(r => (string?)r["type"] == "Microsoft.DBforPostgreSQL/flexibleServers/configurations")
            .ToDictionary(r => Leaf(r), r => (string?)r["properties"]!["value"]);
        Assert.Equal("on", settings["require_secure_transport"]);
        Assert.Equal("TLSv1.2", settings["ssl_min_protocol_version"]);

        var database = Assert.Single(resources, r => (string?)r["type"] == "Microsoft.DBforPostgreSQL/flexibleServers/databases");
        Assert.Contains("databaseName", (string?)database["name"], StringComparison.Ordinal);
        Assert.Equal("faceswap", (string?)parameters["databaseName"]!["defaultValue"]);

        var firewall = Assert.Single(resources, r => (string?)r["type"] == "Microsoft.DBforPostgreSQL/flexibleServers/firewallRules");
        Assert.Equal(("0.0.0.0", "0.0.0.0"), ((string?)firewall["properties"]!["startIpAddress"], (string?)firewall["properties"]!["endIpAddress"]));
        Assert.Equal("azureServices", (string?)parameters["networkAccess"]!["defaultValue"]);

        // The connection string is a Key Vault secret; outputs carry only where it is.
        Assert.Single(resources, r => (string?)r["type"] == "Microsoft.KeyVault/vaults/secrets");
        var outputs = template["outputs"]!.AsObject().Select(o => o.Key).ToList();
        Assert.DoesNotContain(outputs, name => name.Contains("password", StringComparison.OrdinalIgnoreCase)
            || name.Equals("connectionString", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("Password=", template["outputs"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_keeps_sqlite_by_default_and_deploys_postgres_only_when_asked()
    {
        var template = await BuildAsync("main.bicep");

        Assert.Equal("sqlite", (string?)template["parameters"]!["databaseProvider"]!["defaultValue"]);
        var postgres = Assert.Single(Resources(template), r => (string?)r["type"] == "Microsoft.Resources/deployments" && (string?)r["name"] == "postgres");
        Assert.Equal("[equals(parameters('databaseProvider'), 'postgres')]", (string?)postgres["condition"]);
        Assert.Equal("securestring", (string?)template["parameters"]!["postgresAdministratorPassword"]!["type"]);

        // azd fills the parameters from its environment, as the files it generates do.
        var file = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryFiles.PathOf("infra", "main.parameters.json")))!["parameters"]!;
        Assert.Equal("${AZURE_ENV_NAME}", (string?)file["environmentName"]!["value"]);
        Assert.Equal("${AZURE_LOCATION}", (string?)file["location"]!["value"]);
        Assert.Equal("${AZURE_PRINCIPAL_ID}", (string?)file["principalId"]!["value"]);
        // Every parameter the file sets exists in main.bicep (a misspelt one would fail only at deploy).
        Assert.All(file.AsObject(), p => Assert.True(template["parameters"]!.AsObject().ContainsKey(p.Key), p.Key));
    }

    private static async Task<JsonNode> BuildAsync(string file)
    {
        var result = await BicepAsync("build", RepositoryFiles.PathOf("infra", file), "--stdout");
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonNode.Parse(result.Output)!;
    }

    // languageVersion 2.0 templates hold resources as an object keyed by symbolic name, 1.0 as an array.
    private static List<JsonNode> Resources(JsonNode template) => template["resources"] switch
    {
        JsonArray array => [.. array.Select(r => r!)],
        JsonObject map => [.. map.Select(r => r.Value!)],
        _ => [],
    };

    // "[format('{0}/{1}', parameters('x'), 'require_secure_transport')]" -> require_secure_transport
    private static string Leaf(JsonNode resource) =>
        ((string?)resource["name"] ?? "").Split('\'', StringSplitOptions.RemoveEmptyEntries)[^2];

    private static Task<ProcessResult> BicepAsync(params string[] arguments)
    {
        var cli = typeof(BicepTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "BicepCli").Value!;
        Assert.True(File.Exists(cli), $"No Bicep CLI at {cli}: run dotnet restore.");
        if (!OperatingSystem.IsWindows() && !File.GetUnixFileMode(cli).HasFlag(UnixFileMode.UserExecute))
        {
            // NuGet extracts files without their mode on some platforms.
            File.SetUnixFileMode(cli, File.GetUnixFileMode(cli) | UnixFileMode.UserExecute);
        }

        return ProcessRunner.RunAsync(cli, arguments, RepositoryFiles.Root, BicepTimeout,
            new Dictionary<string, string> { ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1" });
    }
}
