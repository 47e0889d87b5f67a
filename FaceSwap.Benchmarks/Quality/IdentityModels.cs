using FaceSwap.Processor.Engines.Local;
using SkiaSharp;

namespace FaceSwap.Benchmarks.Quality;

/// <summary>The face-recognition models the quality benchmark reads together (see <see cref="FaceEmbedderModel.All"/>).</summary>
public static class IdentityModels
{
    /// <summary>Every embedder whose model file is present; each aligns the face on the mesh's five points.</summary>
    public static IReadOnlyList<IdentityModel> Load() =>
    [
        .. FaceEmbedderModel.All.Where(m => File.Exists(m.DefaultPath)).Select(m =>
        {
            // Kept open for the process: the benchmark is one short run.
            var embedder = new FaceEmbedder(m);
            return new IdentityModel(Path.GetFileNameWithoutExtension(m.FileName), (image, face) => embedder.Embed(image, FivePoints(face)));
        }),
    ];

    /// <summary>The five alignment points as the landmarker defines them (eye contour means, nose tip, mouth corners).</summary>
    public static FaceMeshFivePoints FivePoints(MeshFace face) => new(
        Mean(face, FaceMeshTopology.RightEye),
        Mean(face, FaceMeshTopology.LeftEye),
        face.At(FaceMeshTopology.NoseTip),
        face.At(FaceMeshTopology.RightMouthCorner),
        face.At(FaceMeshTopology.LeftMouthCorner));

    private static SKPoint Mean(MeshFace face, ReadOnlySpan<short> indices)
    {
        float x = 0, y = 0;
        foreach (var i in indices)
        {
            x += face.Points[i].X;
            y += face.Points[i].Y;
        }

        return new SKPoint(x / indices.Length, y / indices.Length);
    }
}
