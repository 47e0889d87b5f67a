using System.Text.Json.Nodes;

namespace FaceSwap.Tests.Deployment;

/// <summary>
/// The class fixture of <see cref="BicepTests"/>: one `bicep build --pattern infra/*.bicep` and one `bicep lint
/// --pattern infra/*.bicep` for the whole class (each CLI start costs seconds; per file and per test they were
/// eight starts), whose results every test reads.
/// </summary>
public sealed class BicepCompilation : IAsyncLifetime
{
    private const string Pattern = "infra/*.bicep";

    private readonly DirectoryInfo output = Directory.CreateTempSubdirectory("faceswap-bicep-build-");

    /// <summary>`bicep build` of every infra/ file: exit code and diagnostics (the linter's findings included).</summary>
    internal ProcessResult Build { get; private set; } = new(-1, "not run");

    /// <summary>`bicep lint` of every infra/ file.</summary>
    internal ProcessResult Lint { get; private set; } = new(-1, "not run");

    public async Task InitializeAsync()
    {
        Build = await BicepCli.RunAsync("build", "--pattern", Pattern, "--outdir", output.FullName);
        Lint = await BicepCli.RunAsync("lint", "--pattern", Pattern);
    }

    public Task DisposeAsync()
    {
        output.Delete(recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>The ARM template compiled from infra/<paramref name="file"/>, or null when the build wrote none.</summary>
    internal JsonNode? Template(string file)
    {
        var path = Path.Combine(output.FullName, Path.ChangeExtension(file, ".json"));
        return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) : null;
    }

    /// <summary>The lines of <paramref name="result"/> that name infra/<paramref name="file"/>: its diagnostics.</summary>
    internal static IReadOnlyList<string> DiagnosticsOf(ProcessResult result, string file) =>
        [.. result.Output.Split('\n').Where(line => line.Contains(Path.Combine("infra", file), StringComparison.Ordinal))];
}
