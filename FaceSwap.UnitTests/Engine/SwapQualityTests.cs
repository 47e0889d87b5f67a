using FaceSwap.Contracts;
using FaceSwap.Processor.Engines;
using FaceSwap.Processor.Engines.Local;
using SkiaSharp;

namespace FaceSwap.Tests.Engine;

/// <summary>Measured checks of a swap's result: where it changed the photo, and where it must not have.</summary>
[Collection(EngineCollection.Name)]
public sealed class SwapQualityTests(EngineFixture fixture)
{
    private SwapOutput Swap(byte[] face, byte[] target, TargetFaceSelection selection) =>
        fixture.Engine.Swap(new SwapRequest(new EngineImage(face), new EngineImage(target), new SwapOptions(selection, ImageFormat.Png)), CancellationToken.None);

    [Fact]
    public void Swap_changes_the_face_and_leaves_everything_outside_its_hull_untouched()
    {
        var target = TestImages.Astronaut;
        var targetFace = Assert.Single(fixture.Engine.Detect(target));

        var output = Swap(TestImages.GraceHopper, target, TargetFaceSelection.Largest);

        Assert.Equal(1, output.FacesSwapped);
        using var before = TestImages.Decode(target);
        using var after = TestImages.Decode(output.Image);
        var (insideChange, outsideMaxChange) = Compare(before, after, targetFace);
        Assert.True(insideChange > 8, $"the face region barely changed (mean {insideChange:0.0} levels)");
        Assert.True(outsideMaxChange <= 2, $"a pixel outside the face hull changed by {outsideMaxChange} levels");
    }

    [Fact]
    public void A_face_is_found_again_where_the_target_face_was()
    {
        var target = TestImages.GraceHopper;
        var targetFace = Assert.Single(fixture.Engine.Detect(target));

        var output = Swap(TestImages.Astronaut, target, TargetFaceSelection.Largest);

        var found = Assert.Single(fixture.Engine.Detect(output.Image));
        Assert.True(IntersectionOverUnion(found.Box, targetFace.Box) > 0.6f, $"face found at {found.Box}, target face was at {targetFace.Box}");
    }

    [Fact]
    public void All_faces_of_the_target_are_swapped_when_asked()
    {
        var target = TestImages.TwoFaces();
        var faces = fixture.Engine.Detect(target);
        Assert.Equal(2, faces.Count);

        // A third person's face: swapping Grace Hopper onto her own face would rightly change little.
        var output = Swap(TestImages.Read("clm_kim1_crop.jpg"), target, TargetFaceSelection.AllFaces);

        Assert.Equal(2, output.FacesSwapped);
        using var before = TestImages.Decode(target);
        using var after = TestImages.Decode(output.Image);
        foreach (var face in faces)
        {
            Assert.True(Compare(before, after, face).InsideChange > 8, $"face at {face.Box} was not swapped");
        }
    }

    [Fact]
    public void Only_the_chosen_face_is_swapped_when_an_index_is_given()
    {
        var target = TestImages.TwoFaces();
        var faces = fixture.Engine.Detect(target);

        var output = Swap(TestImages.Astronaut, target, TargetFaceSelection.At(1));

        Assert.Equal(1, output.FacesSwapped);
        using var before = TestImages.Decode(target);
        using var after = TestImages.Decode(output.Image);
        Assert.True(Compare(before, after, faces[0]).InsideChange < 0.5, "face 0 changed though face 1 was chosen");
        Assert.True(Compare(before, after, faces[1]).InsideChange > 8, "face 1 was not swapped");
    }

    [Fact]
    public void The_largest_face_of_the_face_photo_is_the_source()
    {
        // The group photo holds the astronaut (about 100 px) and Grace Hopper (about 200 px): Grace must be used.
        var fromGroup = Swap(TestImages.TwoFaces(), TestImages.Astronaut, TargetFaceSelection.Largest);
        var fromGrace = Swap(TestImages.GraceHopper, TestImages.Astronaut, TargetFaceSelection.Largest);
        var fromAstronaut = Swap(TestImages.Astronaut, TestImages.Astronaut, TargetFaceSelection.Largest);

        using var group = TestImages.Decode(fromGroup.Image);
        using var grace = TestImages.Decode(fromGrace.Image);
        using var astronaut = TestImages.Decode(fromAstronaut.Image);
        var face = Assert.Single(fixture.Engine.Detect(TestImages.Astronaut));
        var toGrace = Compare(group, grace, face).InsideChange;
        var toAstronaut = Compare(group, astronaut, face).InsideChange;
        Assert.True(toGrace < toAstronaut / 2, $"the swap from the group photo differs by {toGrace:0.0} from Grace's swap and {toAstronaut:0.0} from the astronaut's");
    }

    [Theory]
    [InlineData(ImageFormat.Jpeg, "image/jpeg")]
    [InlineData(ImageFormat.Png, "image/png")]
    [InlineData(ImageFormat.Webp, "image/webp")]
    public void Output_has_the_format_asked_for(ImageFormat format, string contentType)
    {
        var output = fixture.Engine.Swap(new SwapRequest(new EngineImage(TestImages.GraceHopper), new EngineImage(TestImages.Astronaut), new SwapOptions(TargetFaceSelection.Largest, format, 80)), CancellationToken.None);

        Assert.Equal(contentType, output.ContentType);
        using var codec = SKCodec.Create(new MemoryStream(output.Image));
        Assert.Equal(format.ToString().ToUpperInvariant(), codec.EncodedFormat.ToString().ToUpperInvariant());
    }

    /// <summary>Mean change inside the face hull (all 468 mesh points: forehead to chin), and the largest change outside it grown by 3 px.</summary>
    private static (double InsideChange, int OutsideMaxChange) Compare(SKBitmap before, SKBitmap after, DetectedFace face)
    {
        Assert.Equal(before.Width, after.Width);
        Assert.Equal(before.Height, after.Height);
        var hull = Geometry.ConvexHull(face.Mesh!.Select(p => new SKPoint(p.X, p.Y)));
        using var inside = Geometry.PathOf(hull);
        using var grown = Geometry.PathOf(Geometry.ShrinkConvex(hull, -3f));
        double insideSum = 0;
        var insideCount = 0;
        var outsideMax = 0;
        for (var y = 0; y < before.Height; y++)
        {
            for (var x = 0; x < before.Width; x++)
            {
                var p = before.GetPixel(x, y);
                var q = after.GetPixel(x, y);
                var change = Math.Max(Math.Abs(p.Red - q.Red), Math.Max(Math.Abs(p.Green - q.Green), Math.Abs(p.Blue - q.Blue)));
                if (inside.Contains(x + 0.5f, y + 0.5f))
                {
                    insideSum += change;
                    insideCount++;
                }
                else if (!grown.Contains(x + 0.5f, y + 0.5f))
                {
                    outsideMax = Math.Max(outsideMax, change);
                }
            }
        }

        return (insideSum / Math.Max(1, insideCount), outsideMax);
    }

    private static float IntersectionOverUnion(FaceBox a, FaceBox b)
    {
        var intersection = SKRect.Intersect(SKRect.Create(a.X, a.Y, a.Width, a.Height), SKRect.Create(b.X, b.Y, b.Width, b.Height));
        if (intersection.IsEmpty)
        {
            return 0;
        }

        var overlap = intersection.Width * intersection.Height;
        return overlap / (a.Width * a.Height + b.Width * b.Height - overlap);
    }
}
