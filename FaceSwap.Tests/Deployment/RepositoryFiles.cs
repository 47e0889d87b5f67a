namespace FaceSwap.Tests.Deployment;

/// <summary>Finds files of the repository from the test's output folder, whatever the configuration.</summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The folder holding FaceSwap.sln.</summary>
    public static string Root => LazyRoot.Value;

    public static string PathOf(params string[] relative) => Path.Combine([Root, .. relative]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FaceSwap.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No FaceSwap.sln above {AppContext.BaseDirectory}.");
    }
}
