using System.Text.Json;
using FaceSwap.Processor.Cli;

namespace FaceSwap.Tests.Engine;

/// <summary>The operator CLI through its public entry point, with its own host and the default configuration.</summary>
[Collection(EngineCollection.Name)]
public sealed class OperatorCommandLineTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("faceswap-cli-").FullName;

    private static async Task<(int Code, string Out, string Error)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await OperatorCommandLine.RunAsync(args, stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData(new[] { "swap", "--face", "a" }, true)]
    [InlineData(new[] { "detect", "x.png" }, true)]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "--urls", "http://+:8080" }, false)]
    public void Recognises_its_commands_only(string[] args, bool expected) => Assert.Equal(expected, OperatorCommandLine.IsCommand(args));

    [Fact]
    public async Task Detect_prints_faces_with_boxes_scores_the_468_mesh_points_and_their_68_point_subset()
    {
        var (code, output, error) = await Run("detect", TestImages.PathOf("grace_hopper.jpg"));

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, error);
        using var json = JsonDocument.Parse(output);
        var face = Assert.Single(json.RootElement.GetProperty("faces").EnumerateArray());
        Assert.True(face.GetProperty("score").GetDouble() > 0.8);
        Assert.True(face.GetProperty("box").GetProperty("width").GetDouble() > 80);
        Assert.Equal(68, face.GetProperty("landmarks").GetArrayLength());
        var mesh = face.GetProperty("mesh");
        Assert.Equal(468, mesh.GetArrayLength());
        Assert.All(mesh.EnumerateArray(), p => Assert.Equal(3, p.GetArrayLength()));
    }

    [Fact]
    public async Task Swap_writes_the_result_in_the_format_of_the_output_name()
    {
        var output = Path.Combine(directory, "out.png");

        var (code, _, error) = await Run("swap", "--face", TestImages.PathOf("grace_hopper.jpg"), "--target", TestImages.PathOf("astronaut.png"), "--out", output);

        Assert.True(code == 0, error);
        Assert.True(File.ReadAllBytes(output).AsSpan().StartsWith((byte[])[0x89, (byte)'P', (byte)'N', (byte)'G']));
    }

    [Theory]
    [InlineData("coffee.png", "no face found in the face photo")]
    [InlineData("README.md", "not an image")]
    public async Task Bad_input_exits_2_with_one_clear_line(string face, string expected)
    {
        var (code, _, error) = await Run("swap", "--face", TestImages.PathOf(face), "--target", TestImages.PathOf("astronaut.png"), "--out", Path.Combine(directory, "x.jpg"));

        Assert.Equal(2, code);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_engine_stops_the_swap_with_the_options_rule()
    {
        var (code, _, error) = await Run("swap", "--face", TestImages.PathOf("grace_hopper.jpg"), "--target", TestImages.PathOf("astronaut.png"),
            "--out", Path.Combine(directory, "x.jpg"), "--engine", "deepfake9000");

        Assert.Equal(OperatorCommandLine.EngineFailure, code);
        Assert.StartsWith("configuration: ", error, StringComparison.Ordinal);
        Assert.Contains("FaceSwap:Engine must be 'local' or 'magicapi'.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Image_too_large_exits_2()
    {
        var path = Path.Combine(directory, "huge.png");
        File.WriteAllBytes(path, TestImages.PngHeaderClaiming(50_000, 50_000));

        var (code, _, error) = await Run("detect", path);

        Assert.Equal(2, code);
        Assert.StartsWith("image too large", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("swap", "--face")]
    [InlineData("swap", "--bogus", "1")]
    [InlineData("swap", "--face", "a", "--target", "b")]
    [InlineData("swap", "--face", "a", "--target", "b", "--out", "c", "--all", "--face-index", "1")]
    [InlineData("detect")]
    public async Task Usage_errors_exit_2_with_one_line(params string[] args)
    {
        var (code, _, error) = await Run(args);

        Assert.Equal(2, code);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
