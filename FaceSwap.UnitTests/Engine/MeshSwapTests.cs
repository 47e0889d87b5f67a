using System.Numerics;
using FaceSwap.Contracts;
using FaceSwap.Processor.Engines;
using FaceSwap.Processor.Engines.Local;
using SkiaSharp;

namespace FaceSwap.Tests.Engine;

/// <summary>The mesh engine's stages on real meshes and on meshes turned in 3D: pose, visibility, mirroring, masks, colour, the gate.</summary>
[Collection(EngineCollection.Name)]
public sealed class MeshSwapTests(EngineFixture fixture)
{
    private MeshFace MeshOf(byte[] encoded)
    {
        using var bitmap = TestImages.Decode(encoded);
        return Assert.Single(fixture.Engine.AnalyzeMesh(bitmap, everyFace: false, out _)).Face;
    }

    private SwapOutput Swap(byte[] face, byte[] target) =>
        fixture.Engine.Swap(new SwapRequest(new EngineImage(face), new EngineImage(target), new SwapOptions(TargetFaceSelection.Largest, ImageFormat.Png)), CancellationToken.None);

    /// <summary>The mesh turned about the vertical axis through its centre (a head turned left or right).</summary>
    private static MeshFace Turned(MeshFace face, float degrees)
    {
        var centre = face.Points.Aggregate(Vector3.Zero, (sum, p) => sum + p) / face.Points.Length;
        var rotation = Matrix4x4.CreateRotationY(degrees * MathF.PI / 180f);
        return face with { Points = [.. face.Points.Select(p => Vector3.Transform(p - centre, rotation) + centre)] };
    }

    [Fact]
    public void Pose_reads_a_frontal_face_as_frontal_and_follows_a_tilt_of_the_photo()
    {
        var frontal = MeshOf(TestImages.GraceHopper).Pose;
        var tilted = MeshOf(TestImages.Rotated(TestImages.GraceHopper, 20)).Pose;

        Assert.InRange(MathF.Abs(frontal.Yaw), 0, 12);
        Assert.InRange(tilted.Roll - frontal.Roll, 15, 25);
        Assert.InRange(MathF.Abs(tilted.Yaw - frontal.Yaw), 0, 6);
    }

    [Fact]
    public void Pose_of_a_mirrored_photo_turns_the_other_way()
    {
        var face = MeshOf(TestImages.GraceHopper);
        var turned = Turned(face, 30).Pose;
        var other = Turned(face, -30).Pose;

        Assert.InRange(MathF.Abs(turned.Yaw - face.Pose.Yaw), 22, 38);
        Assert.True(MathF.Sign(turned.Yaw - face.Pose.Yaw) == -MathF.Sign(other.Yaw - face.Pose.Yaw), "turning the head the other way must change the sign of the yaw");
    }

    [Fact]
    public void Mirror_partners_are_symmetric_and_cross_the_midline()
    {
        var mirror = fixture.Engine.Regions.Mirror;
        var face = MeshOf(TestImages.GraceHopper);

        var paired = Enumerable.Range(0, mirror.Length).Count(i => mirror[mirror[i]] == i);
        Assert.True(paired > mirror.Length * 0.95, $"{paired} of {mirror.Length} points are their partner's partner");
        // The outer eye corners are each other's partners: one on each side of the face.
        Assert.Equal(HeadPose.LeftEyeOuter, mirror[HeadPose.RightEyeOuter]);
        Assert.True(face.Points[mirror[HeadPose.RightEyeOuter]].X > face.Points[HeadPose.RightEyeOuter].X);
    }

    [Fact]
    public void A_frontal_source_gives_every_target_triangle_its_own_texture()
    {
        var face = MeshOf(TestImages.GraceHopper);
        var target = MeshOf(TestImages.Astronaut);
        using var source = SKImage.FromEncodedData(TestImages.GraceHopper);

        using var warped = MeshWarper.Warp(source, face, target, fixture.Engine.Regions, MeshFaceSwapper.RegionOf(target, 512, 512));

        Assert.True(warped.MirroredShare < 0.03f, $"{warped.MirroredShare:P0} of the triangles were mirrored");
        Assert.True(warped.TrianglesDrawn > fixture.Engine.Regions.TriangleCount * 0.9f);
    }

    [Fact]
    public void Triangles_the_turned_source_hides_are_filled_from_its_other_side()
    {
        var face = Turned(MeshOf(TestImages.GraceHopper), 55);
        var target = MeshOf(TestImages.Astronaut);
        var facing = MeshWarper.Facing(face.Points, fixture.Engine.Regions.Triangles);
        using var source = SKImage.FromEncodedData(TestImages.GraceHopper);

        using var warped = MeshWarper.Warp(source, face, target, fixture.Engine.Regions, MeshFaceSwapper.RegionOf(target, 512, 512));

        var hidden = facing.Count(f => f < MeshWarper.MinSourceFacing);
        Assert.True(hidden > 50, $"turning the mesh 55 degrees hid only {hidden} triangles");
        Assert.True(warped.TrianglesMirrored > hidden / 2, $"{warped.TrianglesMirrored} mirrored for {hidden} hidden triangles");
        Assert.True(warped.TrianglesDrawn > fixture.Engine.Regions.TriangleCount * 0.8f, $"only {warped.TrianglesDrawn} triangles drawn");
    }

    [Fact]
    public void A_head_turned_too_far_is_refused_with_its_reason()
    {
        var gate = new SwapQualityGate(fixture.Options);
        var face = MeshOf(TestImages.GraceHopper);

        var tooDifferent = Assert.Throws<FaceSwapException>(() => gate.CheckPair(Turned(face, 50), face));

        Assert.Equal(SwapFailureReason.PoseTooDifferent, tooDifferent.Reason);
        Assert.False(tooDifferent.IsTransient);
    }

    [Fact]
    public void A_turned_head_in_a_real_group_photo_is_refused_not_smeared()
    {
        // The largest face of this photo is turned about 50 degrees and lowered.
        var error = Assert.Throws<FaceSwapException>(() => Swap(TestImages.GraceHopper, TestImages.Read("group_three_turned.jpg")));

        Assert.Equal(SwapFailureReason.PoseTooDifferent, error.Reason);
    }

    [Fact]
    public void With_every_face_asked_for_a_face_the_gate_refuses_is_left_as_it_was_and_the_others_are_swapped()
    {
        // The astronaut beside the group photo whose largest head is turned about 50 degrees.
        using var left = SKImage.FromEncodedData(TestImages.Astronaut);
        using var right = SKImage.FromEncodedData(TestImages.Read("group_three_turned.jpg"));
        var target = TestImages.Transform(TestImages.Astronaut, left.Width + right.Width, right.Height, (canvas, _) =>
        {
            canvas.DrawImage(left, 0, 0, SKSamplingOptions.Default, null);
            canvas.DrawImage(right, left.Width, 0, SKSamplingOptions.Default, null);
        });
        using var before = TestImages.Decode(target);
        var faces = fixture.Engine.AnalyzeMesh(before, everyFace: true, out _).Select(f => f.Face).ToList();
        var turned = faces.Where(f => MathF.Abs(f.Pose.Yaw) > fixture.Options.MaxYawDegrees).ToList();
        Assert.NotEmpty(turned);

        var output = fixture.Engine.Swap(new SwapRequest(new EngineImage(TestImages.GraceHopper), new EngineImage(target), new SwapOptions(TargetFaceSelection.AllFaces, ImageFormat.Png)), CancellationToken.None);

        Assert.InRange(output.FacesSwapped, 1, faces.Count - turned.Count);
        using var after = TestImages.Decode(output.Image);
        foreach (var face in turned)
        {
            var box = SKRectI.Round(face.DetectorBox);
            var changed = 0;
            for (var y = Math.Max(0, box.Top); y < Math.Min(after.Height, box.Bottom); y++)
            {
                for (var x = Math.Max(0, box.Left); x < Math.Min(after.Width, box.Right); x++)
                {
                    var p = before.GetPixel(x, y);
                    var q = after.GetPixel(x, y);
                    changed += Math.Abs(p.Red - q.Red) + Math.Abs(p.Green - q.Green) + Math.Abs(p.Blue - q.Blue) > 6 ? 1 : 0;
                }
            }

            Assert.True(changed < box.Width * box.Height / 50, $"the refused face at {face.DetectorBox} changed in {changed} pixels");
        }
    }

    [Fact]
    public void A_face_mostly_covered_is_refused()
    {
        // A flat green hand-sized patch over most of the target face.
        var face = MeshOf(TestImages.Astronaut);
        var covered = TestImages.Transform(TestImages.Astronaut, 512, 512, (canvas, image) =>
        {
            canvas.DrawImage(image, 0, 0, SKSamplingOptions.Default, null);
            using var paint = new SKPaint { Color = new SKColor(40, 160, 60) };
            var box = face.DetectorBox;
            canvas.DrawRect(SKRect.Create(box.Left, box.Top + box.Height * 0.35f, box.Width, box.Height * 0.75f), paint);
        });

        var error = Assert.Throws<FaceSwapException>(() => Swap(TestImages.GraceHopper, covered));

        Assert.Contains(error.Reason, new[] { SwapFailureReason.FaceOccluded, SwapFailureReason.LowQuality, SwapFailureReason.NoFaceInTarget });
    }

    [Fact]
    public void Colour_follows_the_target_while_the_source_was_tinted_blue()
    {
        var blue = TestImages.Tinted(TestImages.GraceHopper, red: 0.6f, green: 0.8f, blue: 1.3f);
        var target = MeshOf(TestImages.Astronaut);

        var output = Swap(blue, TestImages.Astronaut);

        using var before = TestImages.Decode(TestImages.Astronaut);
        using var after = TestImages.Decode(output.Image);
        using var tinted = TestImages.Decode(blue);
        var cheeks = CheekPixels(target);
        var (br, bg, bb) = MeanColour(before, cheeks);
        var (ar, ag, ab) = MeanColour(after, cheeks);
        // The blue tint would make blue exceed red; on the result the target's warm skin tone must hold.
        Assert.True(ar > ab + 20, $"result cheeks RGB {ar:0} {ag:0} {ab:0}, target {br:0} {bg:0} {bb:0}");
        Assert.True(Math.Abs(ar - br) < 25 && Math.Abs(ab - bb) < 25, $"result cheeks RGB {ar:0} {ag:0} {ab:0}, target {br:0} {bg:0} {bb:0}");
    }

    [Fact]
    public void The_targets_open_mouth_keeps_its_own_inside()
    {
        // The astronaut smiles with her teeth showing: the mouth's inside must stay hers, not become stretched lips.
        var target = MeshOf(TestImages.Astronaut);
        Assert.True(FaceFeatures.MouthOpenness(target) > FaceFeatures.OpenMouth, "the test needs an open mouth in the target");

        var output = Swap(TestImages.GraceHopper, TestImages.Astronaut);

        using var before = TestImages.Decode(TestImages.Astronaut);
        using var after = TestImages.Decode(output.Image);
        var mouth = Geometry.ShrinkConvex(Geometry.ConvexHull(fixture.Engine.Regions.InnerLips.Select(target.At)), 2f);
        var inside = PixelsIn(mouth);
        var (br, bg, bb) = MeanColour(before, inside);
        var (ar, ag, ab) = MeanColour(after, inside);
        Assert.True(Math.Abs(ar - br) + Math.Abs(ag - bg) + Math.Abs(ab - bb) < 15, $"mouth inside changed from {br:0} {bg:0} {bb:0} to {ar:0} {ag:0} {ab:0}");
    }

    [Fact]
    public void A_swapped_face_is_more_like_the_source_than_the_untouched_target_by_its_mesh_shape_kept()
    {
        // The result's face must sit where the target's was (the gate checks it; this checks the gate's own measure).
        var target = MeshOf(TestImages.Astronaut);
        var output = Swap(TestImages.GraceHopper, TestImages.Astronaut);

        using var after = TestImages.Decode(output.Image);
        var found = fixture.Engine.Analyzer.FindAgain(after, target.DetectorBox, 0.5f);

        Assert.NotNull(found);
        var error = fixture.Engine.Regions.Landmarks68.Average(i => SKPoint.Distance(found.At(i), target.At(i))) / FaceFeatures.EyeDistance(target);
        Assert.True(error < fixture.Options.MaxResultMeshError, $"the result's mesh is {error:0.000} eye distances from the target's");
    }

    private static SKPoint[] CheekPixels(MeshFace face)
    {
        // Under each eye, beside the nose: skin in every face.
        const int rightCheek = 50, leftCheek = 280;
        var radius = FaceFeatures.EyeDistance(face) * 0.12f;
        return [.. new[] { rightCheek, leftCheek }.SelectMany(i => Disc(face.At(i), radius))];
    }

    private static IEnumerable<SKPoint> Disc(SKPoint centre, float radius)
    {
        for (var y = -radius; y <= radius; y++)
        {
            for (var x = -radius; x <= radius; x++)
            {
                if (x * x + y * y <= radius * radius)
                {
                    yield return new SKPoint(centre.X + x, centre.Y + y);
                }
            }
        }
    }

    private static SKPoint[] PixelsIn(SKPoint[] polygon)
    {
        using var path = Geometry.PathOf(polygon);
        var bounds = path.Bounds;
        var points = new List<SKPoint>();
        for (var y = (int)bounds.Top; y <= bounds.Bottom; y++)
        {
            for (var x = (int)bounds.Left; x <= bounds.Right; x++)
            {
                if (path.Contains(x + 0.5f, y + 0.5f))
                {
                    points.Add(new SKPoint(x, y));
                }
            }
        }

        return [.. points];
    }

    private static (double R, double G, double B) MeanColour(SKBitmap bitmap, SKPoint[] points)
    {
        var colours = points.Select(p => bitmap.GetPixel((int)p.X, (int)p.Y)).ToList();
        return (colours.Average(c => c.Red), colours.Average(c => c.Green), colours.Average(c => c.Blue));
    }
}
