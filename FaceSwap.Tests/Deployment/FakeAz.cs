namespace FaceSwap.Tests.Deployment;

/// <summary>
/// A stand-in for the az CLI on PATH (no Azure here): it records every call's arguments, one line each, answers
/// the `containerapp show` queries the deploy scripts make with the values given here, and keeps a copy of the
/// file `containerapp update --yaml` was given.
/// </summary>
internal sealed class FakeAz : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("faceswap-fake-az-");

    public FakeAz(string revisionsMode = "Single", string latestRevision = "botapi--azd", string fqdn = "botapi.calm-sea-1.westeurope.azurecontainerapps.io")
    {
        // What `az containerapp show --output json` prints for an app as azd deploys it from the manifest.
        File.WriteAllText(Path.Combine(dir.FullName, "app.json"), $$"""
            {"name": "botapi", "properties": {
              "latestRevisionName": "{{latestRevision}}",
              "configuration": {"activeRevisionsMode": "{{revisionsMode}}", "ingress": {"fqdn": "{{fqdn}}", "targetPort": 8080} },
              "template": {"scale": {"minReplicas": 1, "maxReplicas": 1}, "containers": [{"name": "botapi", "image": "acr.example/faceswap-botapi:azd-2",
                "env": [{"name": "ConnectionStrings__faceswapdb", "value": "Data Source=/data/faceswap.db"}, {"name": "Database__JournalMode", "value": "DELETE"},
                        {"name": "Backups__Directory", "value": "/data/backups"}, {"name": "Telegram__BotToken", "secretRef": "telegram-bot-token"}]}]} } }
            """);
        var az = Path.Combine(dir.FullName, "az");
        File.WriteAllText(az, $$"""
            #!/usr/bin/env bash
            echo "$*" >> '{{CallLog}}'
            case "$*" in
              *"--query properties.configuration.activeRevisionsMode"*) echo '{{revisionsMode}}' ;;
              *"--query properties.latestRevisionName"*) echo '{{latestRevision}}' ;;
              *"--query properties.configuration.ingress.fqdn"*) echo '{{fqdn}}' ;;
              "containerapp show"*"--output json"*) cat '{{Path.Combine(dir.FullName, "app.json")}}' ;;
              "containerapp update"*"--yaml"*) cp "${@: -1}" '{{UpdateFile}}' ;;
            esac
            """.ReplaceLineEndings("\n") + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(az, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>The environment that puts this az first on PATH.</summary>
    public Dictionary<string, string> Environment => new()
    {
        ["PATH"] = $"{dir.FullName}:{System.Environment.GetEnvironmentVariable("PATH")}",
    };

    /// <summary>A file in this stand-in's folder, e.g. for $GITHUB_OUTPUT.</summary>
    public string FileNamed(string name) => Path.Combine(dir.FullName, name);

    /// <summary>Every az call so far, in order, as its space-joined arguments.</summary>
    public IReadOnlyList<string> Calls => File.Exists(CallLog) ? File.ReadAllLines(CallLog) : [];

    /// <summary>What the last `containerapp update --yaml` was given.</summary>
    public string UpdateYaml => File.ReadAllText(UpdateFile);

    private string CallLog => Path.Combine(dir.FullName, "az.log");

    private string UpdateFile => Path.Combine(dir.FullName, "update.yaml");

    public void Dispose() => dir.Delete(recursive: true);
}
