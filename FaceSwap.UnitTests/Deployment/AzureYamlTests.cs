using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace FaceSwap.Tests.Deployment;

/// <summary>azure.yaml is what azd reads first: it must satisfy azd's schema and name the AppHost.</summary>
public class AzureYamlTests
{
    private static readonly Lazy<JsonSchema> Schema = new(LoadSchema);

    private static JsonNode AzureYaml() =>
        YamlJson.Parse(File.ReadAllText(RepositoryFiles.PathOf("azure.yaml")))
        ?? throw new InvalidOperationException("azure.yaml is empty.");

    [Fact]
    public void Azure_yaml_validates_against_azd_schema()
    {
        Assert.Empty(SchemaErrors(AzureYaml()));
    }

    [Fact]
    public void Azure_yaml_deploys_the_AppHost_to_container_apps()
    {
        var services = AzureYaml()["services"]!.AsObject();

        // One service: azd expands the AppHost's manifest into the individual container apps.
        var (_, service) = Assert.Single(services);
        Assert.Equal("dotnet", (string?)service!["language"]);
        Assert.Equal("containerapp", (string?)service["host"]);
        var project = (string?)service["project"];
        Assert.Equal("./FaceSwap.AppHost/FaceSwap.AppHost.csproj", project);
        Assert.True(File.Exists(RepositoryFiles.PathOf(project!.Split('/')[1..])), $"{project} does not exist");
    }

    [Fact]
    public void Schema_check_rejects_a_service_without_host()
    {
        var yaml = AzureYaml();
        yaml["services"]!.AsObject().First().Value!.AsObject().Remove("host");

        Assert.Contains(SchemaErrors(yaml), error => error.Contains("host", StringComparison.Ordinal));
    }

    [Fact]
    public void Schema_check_rejects_an_invalid_name_and_a_container_app_with_image_and_project()
    {
        var badName = AzureYaml();
        badName["name"] = "FaceSwap_App";
        Assert.NotEmpty(SchemaErrors(badName));

        var both = AzureYaml();
        both["services"]!.AsObject().First().Value!["image"] = "example.azurecr.io/faceswap:1";
        Assert.NotEmpty(SchemaErrors(both));
    }

    private static List<string> SchemaErrors(JsonNode instance)
    {
        using var document = JsonDocument.Parse(instance.ToJsonString());
        var result = Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return [];
        }

        var errors = (result.Details ?? [])
            .Where(detail => detail.Errors is { Count: > 0 })
            .SelectMany(detail => detail.Errors!.Select(error => $"{detail.InstanceLocation} ({detail.EvaluationPath}): {error.Key}: {error.Value}"))
            .ToList();
        return errors.Count > 0 ? errors : ["invalid (no detail reported)"];
    }

    private static JsonSchema LoadSchema()
    {
        var registry = new SchemaRegistry
        {
            // The schema links azd extension schemas (Azure AI hosts) by URL. No service here uses those
            // hosts and tests have no network, so they resolve to the empty schema instead of failing the build.
            Fetch = (uri, _) => uri.Host == "raw.githubusercontent.com" ? JsonSchema.True : null,
        };
        return JsonSchema.FromText(
            File.ReadAllText(RepositoryFiles.PathOf("FaceSwap.Tests", "TestData", "deploy", "azure.yaml.schema.json")),
            new BuildOptions { SchemaRegistry = registry });
    }
}
