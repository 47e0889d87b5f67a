using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace FaceSwap.Tests.Deployment;

/// <summary>
/// No Docker engine runs here, so the processor's Dockerfile is checked for what the local engine needs:
/// the landmark model in the final image, at the path the engine is told, and the right entry point.
/// </summary>
public partial class ProcessorDockerfileTests
{
    private const string ModelPath = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat";

    private static readonly string[] Lines = File.ReadAllLines(RepositoryFiles.PathOf("FaceSwap.Processor", "Dockerfile"));

    /// <summary>Instructions of the last stage (the image that is published).</summary>
    private static List<string> FinalStage() =>
        [.. Lines.Skip(Array.FindLastIndex(Lines, l => l.StartsWith("FROM ", StringComparison.Ordinal))).Where(l => !l.StartsWith('#'))];

    [Fact]
    public void Model_comes_from_debian_libdlib_data_into_the_final_image()
    {
        Assert.Contains(Lines, l => l.Contains("apt-get install", StringComparison.Ordinal) && l.Contains("libdlib-data", StringComparison.Ordinal));
        Assert.Contains(FinalStage(), l => l.StartsWith("COPY --from=", StringComparison.Ordinal) && l.Contains(ModelPath, StringComparison.Ordinal));
        Assert.Contains(FinalStage(), l => l.Contains($"FaceSwap__Local__LandmarkModelPath={ModelPath}", StringComparison.Ordinal));
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
