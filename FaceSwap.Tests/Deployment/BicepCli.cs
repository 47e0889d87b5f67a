using System.Reflection;

namespace FaceSwap.Tests.Deployment;

/// <summary>
/// The Bicep CLI that `dotnet restore` brings from NuGet (Azure.Bicep.CommandLine.linux-x64, a PackageDownload of
/// this project; its path is the assembly metadata BicepCli).
/// </summary>
internal static class BicepCli
{
    // The CLI is a self-contained .NET app: its first start takes a few seconds on a busy machine.
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static Task<ProcessResult> RunAsync(params string[] arguments)
    {
        var cli = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "BicepCli").Value!;
        Assert.True(File.Exists(cli), $"No Bicep CLI at {cli}: run dotnet restore.");
        if (!OperatingSystem.IsWindows() && !File.GetUnixFileMode(cli).HasFlag(UnixFileMode.UserExecute))
        {
            // NuGet extracts files without their mode on some platforms.
            File.SetUnixFileMode(cli, File.GetUnixFileMode(cli) | UnixFileMode.UserExecute);
        }

        return ProcessRunner.RunAsync(cli, arguments, RepositoryFiles.Root, Timeout,
            new Dictionary<string, string> { ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1" });
    }
}
