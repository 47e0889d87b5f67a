namespace FaceSwap.Benchmarks.Quality;

/// <summary>The measures of one result against its pair's photos.</summary>
/// <param name="ToSource">Identity cosine of the result to the source face, per model.</param>
/// <param name="ToTarget">Identity cosine of the result to the target face, per model.</param>
/// <param name="PoseError">The largest yaw, pitch or roll difference (degrees) between the result's face and the target's.</param>
/// <param name="MeshError">Mean distance of the 68 classic points of the result's mesh from the target's, in eye distances.</param>
/// <param name="Seam">Mean step (grey levels per pixel) of the change image across the edge of the changed region.</param>
/// <param name="OutsideChange">Mean change (grey levels) of the pixels well outside the target's face outline.</param>
public sealed record SwapMeasure(float[] ToSource, float[] ToTarget, float PoseError, float MeshError, float Seam, float OutsideChange, bool FaceFound);
