using System.Diagnostics;

namespace FaceSwap.AppHost;

/// <summary>Whether local backing services (Redis, PostgreSQL) can run as containers on this machine.</summary>
public static class ContainerRuntime
{
    /// <summary>Whether a container runtime answers (<c>docker info</c>); a client with no daemon does not.</summary>
    public static bool Answers()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("docker", "info")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return false;
            }

            if (!process.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no docker client at all
        }
    }
}
