using System.Text.RegularExpressions;

namespace FaceSwap.Tests.Deployment;

/// <summary>
/// Every base image the deployment builds on is pinned by digest (a tag can be moved to other content, a digest
/// cannot): each Dockerfile's `# syntax=` frontend and FROM, and each project's ContainerBaseImage. And
/// scripts/pin-base-images.sh, which refreshes the digests, covers every one of those files.
/// </summary>
public sealed partial class BaseImageDigestTests
{
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal) { ".git", "bin", "obj", "node_modules", "TestResults" };

    public static TheoryData<string> ImageFiles() => [.. Files()];

    [Fact]
    public void The_processor_dockerfile_and_both_service_projects_are_found()
    {
        Assert.Superset(new HashSet<string> { "FaceSwap.Processor/Dockerfile", "FaceSwap.BotApi/FaceSwap.BotApi.csproj", "FaceSwap.Processor/FaceSwap.Processor.csproj" }, Files().ToHashSet());
    }

    [Theory]
    [MemberData(nameof(ImageFiles))]
    public void Every_base_image_is_pinned_by_digest(string relative)
    {
        var lines = File.ReadAllLines(RepositoryFiles.PathOf(relative.Split('/')));
        // FROM an earlier stage of the same file names no image.
        var stages = lines.Select(line => FromLine().Match(line)).Where(m => m.Success && m.Groups["stage"].Success)
            .Select(m => m.Groups["stage"].Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var images = lines.Select(line => FromLine().Match(line)).Where(m => m.Success).Select(m => m.Groups["image"].Value)
            .Where(image => !stages.Contains(image))
            .Concat(lines.Select(line => SyntaxLine().Match(line)).Where(m => m.Success).Select(m => m.Groups["image"].Value))
            .Concat(lines.Select(line => ContainerBaseImage().Match(line)).Where(m => m.Success).Select(m => m.Groups["image"].Value))
            .ToList();

        Assert.NotEmpty(images);
        Assert.All(images, image => Assert.Matches(Pinned(), image));
    }

    [Fact]
    public void The_pin_script_refreshes_every_file_that_names_a_base_image()
    {
        var script = File.ReadAllText(RepositoryFiles.PathOf("scripts", "pin-base-images.sh"));
        var listed = PinScriptFiles().Match(script).Groups["files"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(Files().Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }

    // Dockerfiles, and projects that set a ContainerBaseImage (the SDK's container publishing).
    private static IEnumerable<string> Files() => Walk(new DirectoryInfo(RepositoryFiles.Root))
        .Where(path => Path.GetFileName(path) is var name && ((name.StartsWith("Dockerfile", StringComparison.Ordinal) && !name.EndsWith(".dockerignore", StringComparison.Ordinal))
            || (name.EndsWith(".csproj", StringComparison.Ordinal) && File.ReadAllText(RepositoryFiles.PathOf(path.Split('/'))).Contains("<ContainerBaseImage>", StringComparison.Ordinal))))
        .Order(StringComparer.Ordinal);

    private static IEnumerable<string> Walk(DirectoryInfo dir) =>
        dir.EnumerateFiles().Select(file => Path.GetRelativePath(RepositoryFiles.Root, file.FullName).Replace('\\', '/'))
            .Concat(dir.EnumerateDirectories().Where(sub => !SkippedFolders.Contains(sub.Name)).SelectMany(Walk));

    [GeneratedRegex(@"^\s*FROM\s+(--\S+\s+)*(?<image>\S+)(\s+AS\s+(?<stage>\S+))?", RegexOptions.IgnoreCase)]
    private static partial Regex FromLine();

    [GeneratedRegex(@"^#\s*syntax\s*=\s*(?<image>\S+)", RegexOptions.IgnoreCase)]
    private static partial Regex SyntaxLine();

    [GeneratedRegex(@"<ContainerBaseImage>(?<image>[^<]+)</ContainerBaseImage>")]
    private static partial Regex ContainerBaseImage();

    [GeneratedRegex(@"^[\w.\-/:]+@sha256:[0-9a-f]{64}$")]
    private static partial Regex Pinned();

    [GeneratedRegex(@"^files=\((?<files>[^)]*)\)", RegexOptions.Multiline)]
    private static partial Regex PinScriptFiles();
}
