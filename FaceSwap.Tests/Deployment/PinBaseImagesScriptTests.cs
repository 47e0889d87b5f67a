namespace FaceSwap.Tests.Deployment;

/// <summary>
/// scripts/pin-base-images.sh on a copy of the files it edits, with a stand-in `docker` on PATH that answers
/// `buildx imagetools inspect` with a digest derived from the reference (no network here): it reports stale pins
/// with --check, rewrites every image to image:tag@digest, and is then up to date.
/// </summary>
public class PinBaseImagesScriptTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    private const string FakeDocker = """
        #!/usr/bin/env bash
        # buildx version | buildx imagetools inspect REF --format ...
        [ "$1 $2" = "buildx version" ] && exit 0
        printf '"sha256:%s"\n' "$(printf 'new %s' "$4" | sha256sum | cut -c1-64)"
        """;

    [Fact]
    public async Task Check_reports_stale_pins_then_the_rewrite_pins_every_image_to_the_resolved_digest()
    {
        var dir = Directory.CreateTempSubdirectory("faceswap-pin-");
        try
        {
            string Copy(params string[] relative)
            {
                var target = Path.Combine([dir.FullName, .. relative]);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(RepositoryFiles.PathOf(relative), target);
                return target;
            }

            var script = Copy("scripts", "pin-base-images.sh");
            var dockerfile = Copy("FaceSwap.Processor", "Dockerfile");
            var project = Copy("FaceSwap.BotApi", "FaceSwap.BotApi.csproj");
            var processorProject = Copy("FaceSwap.Processor", "FaceSwap.Processor.csproj");
            var bin = Directory.CreateDirectory(Path.Combine(dir.FullName, "fakebin")).FullName;
            await File.WriteAllTextAsync(Path.Combine(bin, "docker"), FakeDocker.ReplaceLineEndings("\n") + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(Path.Combine(bin, "docker"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
            }

            var environment = new Dictionary<string, string> { ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH") };
            Task<ProcessResult> Run(params string[] arguments) => ProcessRunner.RunAsync("bash", [script, .. arguments], dir.FullName, Timeout, environment);

            var stale = await Run("--check");
            Assert.True(stale.ExitCode == 1, stale.ToString());
            Assert.Equal(File.ReadAllText(RepositoryFiles.PathOf("FaceSwap.Processor", "Dockerfile")), File.ReadAllText(dockerfile));

            var rewrite = await Run();
            Assert.True(rewrite.ExitCode == 0, rewrite.ToString());
            foreach (var reference in new[] { "docker/dockerfile:1.7.0", "mcr.microsoft.com/dotnet/sdk:10.0", "mcr.microsoft.com/dotnet/aspnet:10.0" })
            {
                var digest = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("new " + reference)));
                Assert.Contains($"{reference}@{digest}", File.ReadAllText(dockerfile) + File.ReadAllText(project), StringComparison.Ordinal);
            }

            Assert.Contains("<ContainerBaseImage>mcr.microsoft.com/dotnet/aspnet:10.0@sha256:", File.ReadAllText(project), StringComparison.Ordinal);
            var aspnet = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("new mcr.microsoft.com/dotnet/aspnet:10.0")));
            Assert.Contains($"<ContainerBaseImage>mcr.microsoft.com/dotnet/aspnet:10.0@{aspnet}</ContainerBaseImage>", File.ReadAllText(processorProject), StringComparison.Ordinal);
            var current = await Run("--check");
            Assert.True(current.ExitCode == 0, current.ToString());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
