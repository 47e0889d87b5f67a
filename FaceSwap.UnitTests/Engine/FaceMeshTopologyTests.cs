using FaceSwap.Processor.Engines.Local;

namespace FaceSwap.Tests.Engine;

/// <summary>The generated mesh tables are consistent: a later regeneration from another source must keep these.</summary>
public sealed class FaceMeshTopologyTests
{
    [Fact]
    public void The_triangles_cover_every_point_of_the_mesh()
    {
        var triangles = FaceMeshTopology.Triangles.ToArray();

        Assert.Equal(0, triangles.Length % 3);
        Assert.All(triangles, i => Assert.InRange(i, 0, FaceMeshTopology.PointCount - 1));
        Assert.Equal(FaceMeshTopology.PointCount, triangles.Distinct().Count());
    }

    [Fact]
    public void The_contours_are_closed_loops_of_distinct_points()
    {
        foreach (var contour in new[]
        {
            FaceMeshTopology.FaceOval.ToArray(), FaceMeshTopology.RightEye.ToArray(), FaceMeshTopology.LeftEye.ToArray(),
            FaceMeshTopology.RightEyebrow.ToArray(), FaceMeshTopology.LeftEyebrow.ToArray(), FaceMeshTopology.LipsOuter.ToArray(),
            FaceMeshTopology.LipsInner.ToArray(),
        })
        {
            Assert.Equal(contour.Length, contour.Distinct().Count());
            Assert.All(contour, i => Assert.InRange(i, 0, FaceMeshTopology.PointCount - 1));
        }

        Assert.Equal(FaceMeshTopology.RightEye.Length, FaceMeshTopology.LeftEye.Length);
        Assert.Contains((short)FaceMeshTopology.RightEyeOuterCorner, FaceMeshTopology.RightEye.ToArray());
        Assert.Contains((short)FaceMeshTopology.LeftEyeInnerCorner, FaceMeshTopology.LeftEye.ToArray());
        Assert.Contains((short)FaceMeshTopology.RightMouthCorner, FaceMeshTopology.LipsOuter.ToArray());
    }

    [Fact]
    public void The_68_point_subset_uses_68_different_points_and_the_uv_layout_has_one_pair_per_point()
    {
        Assert.Equal(68, FaceMeshTopology.Dlib68.ToArray().Distinct().Count());
        Assert.Equal(FaceMeshTopology.PointCount * 2, FaceMeshTopology.CanonicalUv.Length);
        Assert.All(FaceMeshTopology.CanonicalUv.ToArray(), v => Assert.InRange(v, 0f, 1f));
    }
}
