using System.Security.Cryptography;
using System.Text.RegularExpressions;
using FaceSwap.ContentSafety;
using FaceSwap.Processor.Engines.Local;
using FaceSwap.Tests.Deployment;
using Microsoft.ML.OnnxRuntime;

namespace FaceSwap.Tests.Engine;

/// <summary>
/// The committed model files are the ones recorded in their folder's MODELS.md (scripts/models/check.sh proves the
/// record is what the pinned packages convert to), and each loads in ONNX Runtime with the shapes the code expects.
/// </summary>
public sealed partial class ModelConversionTests
{
    private static readonly string[] ModelFolders =
        [Path.Combine("FaceSwap.Processor", "Models"), Path.Combine("FaceSwap.Benchmarks", "Models"), Path.Combine("FaceSwap.ContentSafety", "Models")];

    public static TheoryData<string, string> RecordedModels()
    {
        var data = new TheoryData<string, string>();
        foreach (var folder in ModelFolders)
        {
            foreach (var (file, _) in Records(folder))
            {
                data.Add(folder, file);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RecordedModels))]
    public void Each_model_file_has_the_recorded_sha256(string folder, string file)
    {
        var recorded = Records(folder)[file];

        Assert.Equal(recorded, Sha256(RepositoryFiles.PathOf(folder, file)));
    }

    [Fact]
    public void Every_onnx_file_in_the_model_folders_is_recorded()
    {
        foreach (var folder in ModelFolders)
        {
            var records = Records(folder);
            Assert.All(Directory.GetFiles(RepositoryFiles.PathOf(folder), "*.onnx"), path => Assert.Contains(Path.GetFileName(path), records.Keys));
        }
    }

    [Fact]
    public void The_processor_ships_the_recorded_face_mesh_model()
    {
        var recorded = Records(ModelFolders[0])["facemesh.onnx"];

        Assert.Equal(recorded, Sha256(FaceMeshLandmarker.DefaultModelPath));
    }

    [Fact]
    public void The_services_ship_the_recorded_content_safety_model()
    {
        var recorded = Records(ModelFolders[2])["nsfw-mobilenet-v2.onnx"];

        // The tests' output folder gets the model the way the bot API's and the processor's do: from the shared project.
        Assert.Equal(recorded, Sha256(NsfwClassifier.DefaultModelPath));
    }

    [Theory]
    [InlineData("FaceSwap.Processor", "facemesh.onnx", "input_1", 192, "output_mesh", 1404)]
    [InlineData("FaceSwap.Processor", "facemesh.onnx", "input_1", 192, "output_faceflag", 1)]
    [InlineData("FaceSwap.ContentSafety", "nsfw-mobilenet-v2.onnx", "input_1", 224, "probabilities", 5)]
    [InlineData("FaceSwap.Benchmarks", "faceres.onnx", "input_1", 224, "descriptor", 1024)]
    [InlineData("FaceSwap.Benchmarks", "mobileface.onnx", "data", 112, "embedding", 256)]
    public void Each_model_loads_with_the_expected_input_and_output(string project, string file, string input, int side, string output, int width)
    {
        using var session = new InferenceSession(RepositoryFiles.PathOf(project, "Models", file));

        Assert.Equal([-1, side, side, 3], session.InputMetadata[input].Dimensions);
        Assert.Equal([-1, width], session.OutputMetadata[output].Dimensions);
    }

    /// <summary>The table rows of a MODELS.md: file name (first column) and sha256 of the file (last column).</summary>
    private static Dictionary<string, string> Records(string folder)
    {
        var records = new Dictionary<string, string>();
        foreach (var line in File.ReadLines(RepositoryFiles.PathOf(folder, "MODELS.md")))
        {
            var match = RecordRow().Match(line);
            if (match.Success)
            {
                records.Add(match.Groups["file"].Value, match.Groups["sha"].Value);
            }
        }

        Assert.NotEmpty(records);
        return records;
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    [GeneratedRegex(@"^\| (?<file>[\w.-]+\.onnx) \|.*\| (?<sha>[0-9a-f]{64}) \|$")]
    private static partial Regex RecordRow();
}
