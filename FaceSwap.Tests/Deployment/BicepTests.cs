using System.Text.Json.Nodes;

namespace FaceSwap.Tests.Deployment;

/// <summary>
/// Every .bicep file in infra/ compiles and passes the Bicep linter with no error and no warning, using the
/// Bicep CLI that `dotnet restore` brings from NuGet (Azure.Bicep.CommandLine.linux-x64, a PackageDownload of
/// this project), and the PostgreSQL module keeps the settings docs/operations/deploy.md promises.
/// All files are built and linted by one CLI start each per class run (<see cref="BicepCompilation"/>), not once per test.
/// </summary>
public class BicepTests(BicepCompilation compiled) : IClassFixture<BicepCompilation>
{
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
    public void Bicep_file_builds_without_errors_or_warnings(string file)
    {
        Assert.True(compiled.Build.ExitCode == 0, compiled.Build.ToString());
        Assert.Empty(BicepCompilation.DiagnosticsOf(compiled.Build, file));
        Assert.NotNull(compiled.Template(file));
    }

    [Theory]
    [MemberData(nameof(InfraFiles))]
    public void Bicep_file_passes_the_linter(string file)
    {
        Assert.True(compiled.Lint.ExitCode == 0, compiled.Lint.ToString());
        Assert.Empty(BicepCompilation.DiagnosticsOf(compiled.Lint, file));
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

            // `bicep build` runs the linter too, so one CLI start shows both (lint reports the same findings).
            var build = await BicepCli.RunAsync("build", file, "--stdout");

            Assert.True(build.ExitCode != 0, build.ToString());
            Assert.Contains("outputs-should-not-contain-secrets", build.Output, StringComparison.Ordinal);
            Assert.Contains("no-unused-params", build.Output, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Postgres_module_is_a_tls_only_version_16_burstable_server_with_managed_backups_and_a_vault_secret()
    {
        var template = Compiled("postgres.bicep");
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
    public void Main_keeps_sqlite_by_default_and_deploys_postgres_only_when_asked()
    {
        var template = Compiled("main.bicep");

        Assert.Equal("sqlite", (string?)template["parameters"]!["databaseProvider"]!["defaultValue"]);
        var postgres = Assert.Single(Resources(template), r => (string?)r["type"] == "Microsoft.Resources/deployments" && (string?)r["name"] == "postgres");
        Assert.Equal("[equals(parameters('databaseProvider'), 'postgres')]", (string?)postgres["condition"]);
        Assert.Equal("securestring", (string?)template["parameters"]!["postgresAdministratorPassword"]!["type"]);

        // azd fills the parameters from its environment, as the files it generates do.
        var file = JsonNode.Parse(File.ReadAllText(RepositoryFiles.PathOf("infra", "main.parameters.json")))!["parameters"]!;
        Assert.Equal("${AZURE_ENV_NAME}", (string?)file["environmentName"]!["value"]);
        Assert.Equal("${AZURE_LOCATION}", (string?)file["location"]!["value"]);
        Assert.Equal("${AZURE_PRINCIPAL_ID}", (string?)file["principalId"]!["value"]);
        // Every parameter the file sets exists in main.bicep (a misspelt one would fail only at deploy).
        Assert.All(file.AsObject(), p => Assert.True(template["parameters"]!.AsObject().ContainsKey(p.Key), p.Key));
    }

    private JsonNode Compiled(string file) =>
        compiled.Template(file) ?? throw new InvalidOperationException($"bicep build wrote no template for {file}:\n{compiled.Build}");

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
}
