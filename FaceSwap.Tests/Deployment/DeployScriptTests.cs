using System.Net;
using System.Net.Sockets;

namespace FaceSwap.Tests.Deployment;

/// <summary>
/// The smoke test and rollback scripts that deploy.yml runs, exercised here against a loopback HTTP server
/// and a stand-in for the az CLI that records its arguments.
/// </summary>
public class DeployScriptTests
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Smoke_test_passes_when_alive_and_health_answer_200()
    {
        await using var server = LoopbackServer.Start(_ => HttpStatusCode.OK);

        var result = await RunScriptAsync("smoke-test.sh", [server.BaseUrl, "10", "1"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("/alive", server.Paths);
        Assert.Contains("/health", server.Paths);
    }

    [Fact]
    public async Task Smoke_test_fails_at_the_deadline_while_health_is_unhealthy()
    {
        await using var server = LoopbackServer.Start(path => path == "/health" ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK);

        var result = await RunScriptAsync("smoke-test.sh", [server.BaseUrl, "3", "1"]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("/health 503", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Smoke_test_waits_for_a_revision_that_becomes_healthy()
    {
        var healthyAfter = DateTime.UtcNow.AddSeconds(2);
        await using var server = LoopbackServer.Start(_ => DateTime.UtcNow < healthyAfter ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK);

        var result = await RunScriptAsync("smoke-test.sh", [server.BaseUrl, "20", "1"]);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Theory]
    [InlineData("Single", false)]
    [InlineData("Multiple", true)]
    public async Task Rollback_activates_the_good_revision_and_deactivates_the_failed_one(string mode, bool setsTraffic)
    {
        using var az = new FakeAz(revisionsMode: mode);

        var result = await RunScriptAsync("rollback-revision.sh", ["rg-faceswap", "botapi", "botapi--good", "botapi--bad"], az.Environment);

        Assert.True(result.ExitCode == 0, result.ToString());
        string[] expected = setsTraffic
            ? ["revision activate* --revision botapi--good", "show*activeRevisionsMode", "ingress traffic set* --revision-weight botapi--good=100", "revision deactivate* --revision botapi--bad"]
            : ["revision activate* --revision botapi--good", "show*activeRevisionsMode", "revision deactivate* --revision botapi--bad"];
        AssertCalls(expected, az.Calls);
    }

    // PostgreSQL mode (botapi-revisions.sh, the steps deploy.yml runs around `azd deploy` and the smoke test).

    [Fact]
    public async Task Postgres_deploy_holds_traffic_then_makes_a_labelled_candidate_with_the_vault_secret_two_replicas_and_probes()
    {
        using var az = new FakeAz(revisionsMode: "Multiple", latestRevision: "botapi--azd");
        var output = az.FileNamed("github-output");

        var hold = await RevisionsAsync(az, "hold", "rg-faceswap", "botapi", "botapi--old");
        var candidate = await RevisionsAsync(az, "candidate", "rg-faceswap", "botapi", "run-7-1",
            "https://kv-1.vault.azure.net/secrets/postgres-connection-string", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/mi-1", "botapi--old",
            ("GITHUB_OUTPUT", output));

        Assert.True(hold.ExitCode == 0, hold.ToString());
        Assert.True(candidate.ExitCode == 0, candidate.ToString());
        AssertCalls([
            "revision set-mode* --mode multiple",
            "ingress traffic set* --revision-weight botapi--old=100",
            "show* --query properties.latestRevisionName",
            "secret set* --secrets faceswapdb=keyvaultref:https://kv-1.vault.azure.net/secrets/postgres-connection-string,identityref:/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/mi-1",
            "show* --output json",
            "update* --yaml ",
            "revision label add* --label candidate --revision botapi--run-7-1",
            // azd's own revision runs the manifest's SQLite settings; it never serves.
            "revision deactivate* --revision botapi--azd",
            "show* --query properties.configuration.ingress.fqdn",
        ], az.Calls);
        Assert.Equal(["revision=botapi--run-7-1", "url=https://botapi---candidate.calm-sea-1.westeurope.azurecontainerapps.io"], await File.ReadAllLinesAsync(output));

        var template = System.Text.Json.Nodes.JsonNode.Parse(az.UpdateYaml)!["properties"]!["template"]!;
        Assert.Equal("run-7-1", (string?)template["revisionSuffix"]);
        Assert.Equal(2, (int)template["scale"]!["minReplicas"]!);
        Assert.True((int)template["scale"]!["maxReplicas"]! >= 2);
        var container = template["containers"]![0]!;
        Assert.Equal("acr.example/faceswap-botapi:azd-2", (string?)container["image"]);
        var env = container["env"]!.AsArray().ToDictionary(e => (string)e!["name"]!, e => (string?)e!["value"] ?? "secretref:" + (string?)e!["secretRef"]);
        Assert.Equal("postgres", env["Database__Provider"]);
        Assert.Equal("secretref:faceswapdb", env["ConnectionStrings__faceswapdb"]);
        Assert.Equal("secretref:telegram-bot-token", env["Telegram__BotToken"]);
        Assert.False(env.ContainsKey("Database__JournalMode") || env.ContainsKey("Backups__Directory"), "SQLite settings left in the PostgreSQL revision");
        var probes = container["probes"]!.AsArray().ToDictionary(p => (string)p!["type"]!, p => (string?)p!["httpGet"]!["path"]);
        Assert.Equal(new Dictionary<string, string?> { ["Startup"] = "/health", ["Readiness"] = "/health", ["Liveness"] = "/alive" }, probes);
    }

    [Fact]
    public async Task Postgres_deploy_moves_traffic_to_a_candidate_that_passes_its_smoke_test_then_deactivates_the_old_revision()
    {
        using var az = new FakeAz(revisionsMode: "Multiple");
        await using var server = LoopbackServer.Start(_ => HttpStatusCode.OK);

        var results = new[]
        {
            await RevisionsAsync(az, "hold", "rg-faceswap", "botapi", "botapi--old"),
            await RevisionsAsync(az, "candidate", "rg-faceswap", "botapi", "run-8-1", "https://kv/secrets/pg", "/mi", "botapi--old"),
            await RunScriptAsync("smoke-test.sh", [server.BaseUrl, "10", "1"]),
            await RevisionsAsync(az, "promote", "rg-faceswap", "botapi", "botapi--run-8-1", "botapi--old"),
        };

        Assert.All(results, result => Assert.True(result.ExitCode == 0, result.ToString()));
        var calls = az.Calls;
        var moved = Assert.Single(calls, c => c.StartsWith("containerapp ingress traffic set", StringComparison.Ordinal) && c.Contains("botapi--run-8-1", StringComparison.Ordinal));
        Assert.EndsWith("--revision-weight botapi--run-8-1=100 botapi--old=0", moved, StringComparison.Ordinal);
        AssertCalls([
            "ingress traffic set* --revision-weight botapi--old=100",
            "revision label add* --label candidate --revision botapi--run-8-1",
            "ingress traffic set* --revision-weight botapi--run-8-1=100 botapi--old=0",
            "revision label remove* --label candidate",
            "revision deactivate* --revision botapi--old",
        ], calls);
        // The old revision stops only once, after the move: until then it is what serves.
        Assert.Single(calls, c => c.StartsWith("containerapp revision deactivate", StringComparison.Ordinal) && c.Contains("botapi--old", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Postgres_deploy_deactivates_a_candidate_that_fails_its_smoke_test_and_traffic_never_moves()
    {
        using var az = new FakeAz(revisionsMode: "Multiple");
        await using var server = LoopbackServer.Start(path => path == "/health" ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK);

        var hold = await RevisionsAsync(az, "hold", "rg-faceswap", "botapi", "botapi--old");
        var candidate = await RevisionsAsync(az, "candidate", "rg-faceswap", "botapi", "run-9-1", "https://kv/secrets/pg", "/mi", "botapi--old");
        var smoke = await RunScriptAsync("smoke-test.sh", [server.BaseUrl, "2", "1"]);
        var discard = await RevisionsAsync(az, "discard", "rg-faceswap", "botapi", "botapi--run-9-1");

        Assert.True(hold.ExitCode == 0 && candidate.ExitCode == 0 && discard.ExitCode == 0, $"{hold}\n{candidate}\n{discard}");
        Assert.True(smoke.ExitCode == 1, smoke.ToString());
        var calls = az.Calls;
        // The only traffic rule ever set is the hold on the serving revision.
        Assert.Equal(["--revision-weight botapi--old=100"], calls.Where(c => c.StartsWith("containerapp ingress traffic set", StringComparison.Ordinal)).Select(c => c[c.IndexOf("--revision-weight", StringComparison.Ordinal)..]));
        Assert.DoesNotContain(calls, c => c.Contains("deactivate", StringComparison.Ordinal) && c.Contains("botapi--old", StringComparison.Ordinal));
        AssertCalls([
            "revision label add* --label candidate --revision botapi--run-9-1",
            "revision label remove* --label candidate",
            "revision deactivate* --revision botapi--run-9-1",
        ], calls);
    }

    [Fact]
    public async Task Postgres_first_deploy_holds_nothing_and_promotes_without_an_old_revision()
    {
        // azd's first deploy created the app from its template, in single-revision mode.
        using var az = new FakeAz(revisionsMode: "Single", latestRevision: "botapi--azd");

        var hold = await RevisionsAsync(az, "hold", "rg-faceswap", "botapi", "");
        // Before azd's first deploy the app may not exist: hold asks nothing of it.
        Assert.Empty(az.Calls);
        var candidate = await RevisionsAsync(az, "candidate", "rg-faceswap", "botapi", "run-1-1", "https://kv/secrets/pg", "/mi", "");
        var promote = await RevisionsAsync(az, "promote", "rg-faceswap", "botapi", "botapi--run-1-1", "");

        Assert.True(hold.ExitCode == 0 && candidate.ExitCode == 0 && promote.ExitCode == 0, $"{hold}\n{candidate}\n{promote}");
        AssertCalls([
            "revision set-mode* --mode multiple",
            "revision deactivate* --revision botapi--azd",
            "ingress traffic set* --revision-weight botapi--run-1-1=100",
            "revision label remove* --label candidate",
        ], az.Calls);
        Assert.Single(az.Calls, c => c.Contains("ingress traffic set", StringComparison.Ordinal));
        Assert.Single(az.Calls, c => c.Contains("revision deactivate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Postgres_candidate_stops_when_azd_deploy_left_the_app_in_single_revision_mode()
    {
        // Single-revision mode gave azd's revision the traffic already: no candidate can be tried first.
        using var az = new FakeAz(revisionsMode: "Single");

        var result = await RevisionsAsync(az, "candidate", "rg-faceswap", "botapi", "run-3-1", "https://kv/secrets/pg", "/mi", "botapi--old");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("activeRevisionsMode: multiple", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(az.Calls, c => c.Contains("secret set", StringComparison.Ordinal) || c.Contains("update", StringComparison.Ordinal) || c.Contains("label", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Revisions_script_refuses_an_unknown_step()
    {
        using var az = new FakeAz();

        var result = await RevisionsAsync(az, "shift", "rg-faceswap", "botapi");

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(az.Calls);
    }

    /// <summary>
    /// Each expected call, as "containerapp " + a pattern whose '*' stands for any text, matches a recorded call, in this
    /// order (other calls may come between them).
    /// </summary>
    private static void AssertCalls(IReadOnlyList<string> expected, IReadOnlyList<string> calls)
    {
        var next = 0;
        foreach (var pattern in expected)
        {
            var parts = ("containerapp " + pattern).Split('*');
            var found = calls.Skip(next).Select((call, i) => (call, i)).FirstOrDefault(c => Matches(c.call, parts));
            Assert.True(found.call is not null, $"no call like '{pattern}' after call {next} in:\n{string.Join('\n', calls)}");
            next += found.i + 1;
        }
    }

    private static bool Matches(string call, string[] parts)
    {
        if (!call.StartsWith(parts[0], StringComparison.Ordinal))
        {
            return false;
        }

        var at = parts[0].Length;
        foreach (var part in parts.Skip(1))
        {
            var found = call.IndexOf(part, at, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            at = found + part.Length;
        }

        return true;
    }

    private static Task<ProcessResult> RevisionsAsync(FakeAz az, params object[] arguments)
    {
        var environment = az.Environment;
        foreach (var (key, value) in arguments.OfType<(string, string)>())
        {
            environment[key] = value;
        }

        return RunScriptAsync("botapi-revisions.sh", [.. arguments.OfType<string>()], environment);
    }

    private static Task<ProcessResult> RunScriptAsync(string script, string[] arguments, Dictionary<string, string>? environment = null) =>
        ProcessRunner.RunAsync("bash", [RepositoryFiles.PathOf(".github", "scripts", script), .. arguments], RepositoryFiles.Root, ScriptTimeout, environment);

    /// <summary>An HTTP server on 127.0.0.1 that answers every GET with the status the callback picks.</summary>
    private sealed class LoopbackServer : IAsyncDisposable
    {
        private readonly HttpListener listener;
        private readonly Task loop;
        private readonly List<string> paths = [];

        private LoopbackServer(HttpListener listener, Func<string, HttpStatusCode> status)
        {
            this.listener = listener;
            loop = Task.Run(async () =>
            {
                while (listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await listener.GetContextAsync();
                    }
                    catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                    {
                        return; // stopped
                    }

                    var path = context.Request.Url?.AbsolutePath ?? "";
                    lock (paths)
                    {
                        paths.Add(path);
                    }

                    context.Response.StatusCode = (int)status(path);
                    context.Response.Close();
                }
            });
        }

        public string BaseUrl => listener.Prefixes.Single().TrimEnd('/');

        public IReadOnlyList<string> Paths
        {
            get
            {
                lock (paths)
                {
                    return [.. paths];
                }
            }
        }

        public static LoopbackServer Start(Func<string, HttpStatusCode> status)
        {
            // A free port from the OS; HttpListener itself cannot bind port 0.
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();

            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            listener.Start();
            return new LoopbackServer(listener, status);
        }

        public async ValueTask DisposeAsync()
        {
            listener.Stop();
            await loop;
            listener.Close();
        }
    }
}
