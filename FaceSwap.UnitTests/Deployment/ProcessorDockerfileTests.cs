using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace FaceSwap.Tests.Deployment;

/// <summary>
/// No Docker engine runs here, so the processor's Dockerfile is checked for what the local engine needs:
/// nothing outside the published output (no dlib model, which is not for commercial use), and the right entry point.
/// </summary>
public partial class ProcessorDockerfileTests
{
    private const string ModelPath = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat";

    private static readonly string[] Lines = File.ReadAllLines(RepositoryFiles.PathOf("FaceSwap.Processor", "Dockerfile"));

    /// <summary>Instructions of the last stage (the image that is published).</summary>
    private static List<string> FinalStage() =>
        [.. Lines.Skip(Array.FindLastIndex(Lines, l => l.StartsWith("FROM ", StringComparison.Ordinal))).Where(l => !l.StartsWith('#'))];

    [Fact]
    public void Image_carries_no_dlib_model()
    {
        var instructions = Lines.Where(l => !l.TrimStart().StartsWith('#')).ToList();
        Assert.DoesNotContain(instructions, l => l.Contains("libdlib-data", StringComparison.Ordinal) || l.Contains(ModelPath, StringComparison.Ordinal));
        Assert.DoesNotContain(instructions, l => l.Contains("LandmarkModelPath", StringComparison.Ordinal));
    }

    [Fact]
    public void Final_image_is_the_aspnet_runtime_running_the_processor_as_non_root()
    {
        var final = FinalStage();
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet:10.0", final[0], StringComparison.Ordinal);
        Assert.Contains(final, l => l.StartsWith("USER ", StringComparison.Ordinal) && !l.Contains("root", StringComparison.Ordinal));

        // The entry point must name the assembly the project actually builds.
        var project = XDocument.Load(RepositoryFiles.PathOf("FaceSwap.Processor", "FaceSwap.Processor.csproj"));
        var assemblyName = project.Descendants("AssemblyName").LastOrDefault()?.Value ?? "FaceSwap.Processor";
        var entry = Assert.Single(final, l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal));
        Assert.Equal($"ENTRYPOINT [\"dotnet\", \"{assemblyName}.dll\"]", entry);
    }

    [Fact]
    public void Every_image_the_build_pulls_is_pinned_by_digest()
    {
        // The BuildKit frontend (# syntax=) is an image too, pulled before anything else.
        Assert.Matches($"^# syntax={PinnedImagePattern}$", Lines[0]);
        var froms = Lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, froms.Count);
        Assert.All(froms, from => Assert.Matches($"^FROM {PinnedImagePattern}( AS [\\w-]+)?$", from));
    }

    [Fact]
    public void The_bot_api_image_base_is_pinned_by_digest()
    {
        // The bot API's image is built by the SDK (dotnet publish /t:PublishContainer), not from a Dockerfile.
        var project = XDocument.Load(RepositoryFiles.PathOf("FaceSwap.BotApi", "FaceSwap.BotApi.csproj"));
        var baseImage = Assert.Single(project.Descendants("ContainerBaseImage")).Value;

        Assert.Matches($"^{PinnedImagePattern}$", baseImage);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0@", baseImage, StringComparison.Ordinal);
    }

    // registry/repository:tag@sha256:<64 hex>; the tag stays so people can read which version it is.
    private const string PinnedImagePattern = @"[\w./-]+:[\w.-]+@sha256:[0-9a-f]{64}";

    [Fact]
    public void Build_stage_publishes_the_processor_project_that_exists()
    {
        var publish = Assert.Single(Lines, l => l.Contains("dotnet publish", StringComparison.Ordinal));
        var project = ProjectArgument().Match(publish).Groups[1].Value;

        Assert.True(File.Exists(RepositoryFiles.PathOf(project.Split('/'))), $"{project} does not exist");
    }

    [GeneratedRegex(@"dotnet publish (\S+\.csproj)")]
    private static partial Regex ProjectArgument();
}
