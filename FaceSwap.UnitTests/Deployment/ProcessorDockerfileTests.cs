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
    public void Build_stage_publishes_the_processor_project_that_exists()
    {
        var publish = Assert.Single(Lines, l => l.Contains("dotnet publish", StringComparison.Ordinal));
        var project = ProjectArgument().Match(publish).Groups[1].Value;

        Assert.True(File.Exists(RepositoryFiles.PathOf(project.Split('/'))), $"{project} does not exist");
    }

    [GeneratedRegex(@"dotnet publish (\S+\.csproj)")]
    private static partial Regex ProjectArgument();
}
