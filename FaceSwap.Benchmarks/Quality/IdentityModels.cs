namespace FaceSwap.Benchmarks.Quality;

/// <summary>The face-recognition models the quality benchmark reads together.</summary>
public static class IdentityModels
{
    public static IReadOnlyList<IdentityModel> Load() => [];
}
