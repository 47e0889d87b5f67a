namespace FaceSwap.AppHost.Postgres;

/// <summary>
/// Debian's PostgreSQL server binaries (apt-get install postgresql: /usr/lib/postgresql/&lt;version&gt;/bin, not on PATH),
/// and how to run them: postgres refuses to run as root, so as root they run as the <c>postgres</c> OS user the package
/// creates (through runuser), otherwise as the current user. The AppHost's local server and the tests' both use this.
/// </summary>
public static class PostgresBinaries
{
    private const string DebianRoot = "/usr/lib/postgresql";

    /// <summary>The newest installed version's bin folder, or null when the package is not installed.</summary>
    public static string? Directory { get; } = Find();

    public static bool Installed => Directory is not null;

    public static bool RunsAsOtherUser => Environment.IsPrivilegedProcess;

    /// <summary>The executable and arguments that run <paramref name="tool"/> (initdb, pg_ctl, postgres) as the right user.</summary>
    public static (string FileName, IReadOnlyList<string> Arguments) Command(string tool, params IReadOnlyList<string> arguments)
    {
        // Not installed: the bare name, which fails to start; StartupPrerequisites says so first in the AppHost.
        var path = Directory is null ? tool : Path.Combine(Directory, tool);
        return RunsAsOtherUser ? ("runuser", ["-u", "postgres", "--", path, .. arguments]) : (path, arguments);
    }

    /// <summary>
    /// Makes a folder the server may own: as root, a folder created by the <c>postgres</c> user needs no chown.
    /// </summary>
    public static string CreateDataDirectoryParent(string path)
    {
        System.IO.Directory.CreateDirectory(path);
        if (RunsAsOtherUser && !OperatingSystem.IsWindows())
        {
            // World-writable with the sticky bit, like /tmp: the postgres user creates its own data folder inside.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute | UnixFileMode.StickyBit);
        }

        return path;
    }

    private static string? Find()
    {
        if (!System.IO.Directory.Exists(DebianRoot))
        {
            return null;
        }

        return System.IO.Directory.GetDirectories(DebianRoot)
            .Select(version => Path.Combine(version, "bin"))
            .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
            .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
            .FirstOrDefault();
    }
}
