using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace FaceSwap.Tests.Deployment;

/// <summary>
/// Every model or font committed anywhere in the repository (what ships inside the images) is recorded with its
/// sha256 in its folder's MODELS.md or README.md, and the file is still exactly that: a replaced or corrupted
/// binary fails here instead of shipping. (The download scripts check what they fetch the same way:
/// scripts/models/fetch-npm.sh.)
/// </summary>
public sealed partial class CommittedBinaryTests
{
    private static readonly HashSet<string> BinaryExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".onnx", ".ort", ".tflite", ".pb", ".safetensors", ".pt", ".pth", ".bin", ".dat", ".ttf", ".otf", ".woff", ".woff2",
    };

    // Build output, dependencies and the tests' own inputs are not shipped binaries.
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal)
    {
        ".git", "bin", "obj", "node_modules", "TestResults", "TestData", ".azure",
    };

    private static List<string> Binaries() => [.. Walk(new DirectoryInfo(RepositoryFiles.Root)).Order(StringComparer.Ordinal)];

    public static TheoryData<string> CommittedBinaries() => [.. Binaries()];

    [Fact]
    public void The_models_and_the_font_are_all_found()
    {
        var files = Binaries();

        Assert.Contains("FaceSwap.Processor/Models/facemesh.onnx", files);
        Assert.Contains("FaceSwap.ContentSafety/Models/nsfw-mobilenet-v2.onnx", files);
        Assert.Contains("FaceSwap.BotApi/Media/Fonts/DejaVuSans.ttf", files);
    }

    [Theory]
    [MemberData(nameof(CommittedBinaries))]
    public void Committed_binary_matches_the_sha256_recorded_next_to_it(string relative)
    {
        var path = RepositoryFiles.PathOf(relative.Split('/'));
        var recorded = RecordedSha256(path);

        Assert.True(recorded is not null, $"{relative}: no MODELS.md or README.md line in its folder names it with a sha256");
        using var stream = File.OpenRead(path);
        Assert.Equal(recorded, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    [Fact]
    public void A_changed_byte_is_caught()
    {
        // The check above must be able to fail: the same lookup on a copy with one byte flipped.
        var dir = Directory.CreateTempSubdirectory("faceswap-binary-");
        try
        {
            var original = RepositoryFiles.PathOf("FaceSwap.BotApi", "Media", "Fonts", "DejaVuSans.ttf");
            var copy = Path.Combine(dir.FullName, "DejaVuSans.ttf");
            File.Copy(RepositoryFiles.PathOf("FaceSwap.BotApi", "Media", "Fonts", "README.md"), Path.Combine(dir.FullName, "README.md"));
            var bytes = File.ReadAllBytes(original);
            bytes[bytes.Length / 2] ^= 0xFF;
            File.WriteAllBytes(copy, bytes);

            Assert.Equal(RecordedSha256(original), RecordedSha256(copy));
            Assert.NotEqual(RecordedSha256(copy), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>The last sha256 on the line of MODELS.md or README.md (same folder) that names the file.</summary>
    private static string? RecordedSha256(string path)
    {
        var name = Path.GetFileName(path);
        foreach (var record in new[] { "MODELS.md", "README.md" }.Select(doc => Path.Combine(Path.GetDirectoryName(path)!, doc)).Where(File.Exists))
        {
            foreach (var line in File.ReadLines(record))
            {
                var cells = line.Split('|', StringSplitOptions.TrimEntries);
                if (cells.Length > 2 && cells[1].Trim('`') == name && Sha256Value().Matches(line) is { Count: > 0 } hashes)
                {
                    return hashes[^1].Value;
                }
            }
        }

        return null;
    }

    private static IEnumerable<string> Walk(DirectoryInfo dir)
    {
        foreach (var file in dir.EnumerateFiles().Where(f => BinaryExtensions.Contains(f.Extension)))
        {
            yield return Path.GetRelativePath(RepositoryFiles.Root, file.FullName).Replace('\\', '/');
        }

        foreach (var sub in dir.EnumerateDirectories().Where(d => !SkippedFolders.Contains(d.Name)))
        {
            foreach (var file in Walk(sub))
            {
                yield return file;
            }
        }
    }

    [GeneratedRegex(@"\b[0-9a-f]{64}\b")]
    private static partial Regex Sha256Value();
}
