using System.Reflection;

namespace FaceSwap.ServiceDefaults;

/// <summary>
/// The version and commit this build was made from, for the health details and the status page.
/// MinVer derives the version from the nearest <c>vMAJOR.MINOR.PATCH</c> tag; the SDK appends the commit
/// to the informational version as build metadata (<c>1.2.3+0123abc...</c>).
/// </summary>
public static class BuildInfo
{
    private const string Unknown = "unknown";

    private static readonly (string Version, string Commit) Parsed = Parse(
        // Every project of the solution is built from one commit with one MinVer version, so the
        // shared library's own attribute tells the same as the service's, in tests as well.
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);

    /// <summary>Semantic version without build metadata, e.g. <c>1.2.3</c> or <c>1.2.4-alpha.0.5</c>.</summary>
    public static string Version => Parsed.Version;

    /// <summary>The git commit id the build was made from, or <c>unknown</c> when the build had no git.</summary>
    public static string Commit => Parsed.Commit;

    /// <summary>Splits an informational version (<c>version[+metadata]</c>) into version and commit.</summary>
    public static (string Version, string Commit) Parse(string? informationalVersion)
    {
        if (string.IsNullOrWhiteSpace(informationalVersion))
        {
            return (Unknown, Unknown);
        }

        var plus = informationalVersion.IndexOf('+', StringComparison.Ordinal);
        if (plus < 0)
        {
            return (informationalVersion, Unknown);
        }

        var version = informationalVersion[..plus];
        var metadata = informationalVersion[(plus + 1)..];
        // When MinVer already set build metadata the SDK appends the commit after a dot; it is always last.
        var commit = metadata[(metadata.LastIndexOf('.') + 1)..];
        return (version, commit.Length == 0 ? Unknown : commit);
    }
}
