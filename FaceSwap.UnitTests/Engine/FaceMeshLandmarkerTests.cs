using FaceSwap.Processor.Engines.Local;
using SkiaSharp;

namespace FaceSwap.Tests.Engine;

public sealed class FaceMeshLandmarkerTests(FaceMeshLandmarkerTests.Models models) : IClassFixture<FaceMeshLandmarkerTests.Models>
{
    public static TheoryData<string> Faces => new() { "astronaut.png", "grace_hopper.jpg", "clm_obama4_crop.jpg", "clm_kim1_crop.jpg", "clm_walter2_crop.jpg", "clm_chuck_crop.jpg", "clm_bieber_small.jpg" };

    [Theory]
    [MemberData(nameof(Faces))]
    public void The_mesh_lands_on_the_detected_face(string name)
    {
        using var image = TestImages.Decode(TestImages.Read(name));
        var face = models.SingleFace(image);

        var mesh = models.Landmarker.Locate(image, face);

        Assert.InRange(mesh.FaceScore, 0.9f, 1f);
        var interocular = Distance(face.RightEye, face.LeftEye);
        var eyes = mesh.FivePoints();
        Assert.True(Distance(eyes.RightEye, face.RightEye) < 0.2f * interocular, $"right eye {eyes.RightEye} vs detector {face.RightEye}");
        Assert.True(Distance(eyes.LeftEye, face.LeftEye) < 0.2f * interocular, $"left eye {eyes.LeftEye} vs detector {face.LeftEye}");
        var enlarged = face.Box;
        enlarged.Inflate(face.Box.Width * 0.25f, face.Box.Height * 0.25f);
        Assert.All(mesh.Points, p => Assert.True(enlarged.Contains(p.X, p.Y), $"point {p} outside {enlarged}"));
        // The mesh covers most of the detector's box, not a shrunken blob in it.
        Assert.InRange(mesh.Bounds().Width, face.Box.Width * 0.8f, face.Box.Width * 1.5f);
    }

    /// <summary>The reference holds dlib's 68 points, reviewed on the photos; the mesh's 68-point subset must agree on the inner face.</summary>
    [Theory]
    [InlineData("astronaut.png")]
    [InlineData("grace_hopper.jpg")]
    public void The_68_point_subset_agrees_with_the_reviewed_landmarks_on_eyes_nose_and_mouth(string name)
    {
        var reference = DetectionTests.LoadReference(name).Select(p => new SKPoint(p.X, p.Y)).ToArray();
        using var image = TestImages.Decode(TestImages.Read(name));

        var subset = models.Landmarker.Locate(image, models.SingleFace(image)).ToDlib68();

        Assert.Equal(68, subset.Length);
        var interocular = Distance(Mean(reference, 36, 42), Mean(reference, 42, 48));
        // Eyes (36-47), nose (30-35) and lips (48-67): the jaw and brow lines are drawn differently by the two models.
        var inner = Enumerable.Range(30, 6).Concat(Enumerable.Range(36, 32)).ToArray();
        var errors = inner.Select(i => Distance(subset[i], reference[i])).ToArray();
        Assert.True(errors.Average() < 0.08f * interocular, $"mean error {errors.Average():0.0} px, interocular {interocular:0.0} px");
        Assert.True(Distance(Mean(subset, 36, 42), Mean(reference, 36, 42)) < 0.05f * interocular, "right eye centre");
        Assert.True(Distance(Mean(subset, 42, 48), Mean(reference, 42, 48)) < 0.05f * interocular, "left eye centre");
    }

    [Fact]
    public void The_five_points_are_eyes_nose_and_mouth_corners_in_image_order()
    {
        using var image = TestImages.Decode(TestImages.GraceHopper);
        var five = models.Landmarker.Locate(image, models.SingleFace(image)).FivePoints();

        Assert.True(five.RightEye.X < five.NoseTip.X && five.NoseTip.X < five.LeftEye.X, "the subject's right eye is on the image's left");
        Assert.True(five.RightMouthCorner.X < five.NoseTip.X && five.NoseTip.X < five.LeftMouthCorner.X, "mouth corners either side of the nose");
        Assert.True(Math.Max(five.RightEye.Y, five.LeftEye.Y) < five.NoseTip.Y, "nose below the eyes");
        Assert.True(five.NoseTip.Y < Math.Min(five.RightMouthCorner.Y, five.LeftMouthCorner.Y), "mouth below the nose");
    }

    [Fact]
    public void A_mirrored_photo_gives_the_mirrored_mesh()
    {
        var encoded = TestImages.Read("astronaut.png");
        using var image = TestImages.Decode(encoded);
        using var flipped = TestImages.Decode(TestImages.Transform(encoded, image.Width, image.Height, (canvas, source) =>
        {
            canvas.Scale(-1, 1, image.Width / 2f, 0);
            canvas.DrawImage(source, 0, 0, new SKSamplingOptions(SKFilterMode.Linear), null);
        }));

        var mesh = models.Landmarker.Locate(image, models.SingleFace(image));
        var mirrored = models.Landmarker.Locate(flipped, models.SingleFace(flipped));

        // In the mirrored photo the subject's left eye is where the right eye was, and so on for each paired contour.
        var interocular = Distance(mesh.FivePoints().RightEye, mesh.FivePoints().LeftEye);
        var pairs = Pairs(FaceMeshTopology.RightEye, FaceMeshTopology.LeftEye)
            .Concat(Pairs(FaceMeshTopology.RightEyebrow, FaceMeshTopology.LeftEyebrow))
            .Append((FaceMeshTopology.RightMouthCorner, FaceMeshTopology.LeftMouthCorner))
            .Append((FaceMeshTopology.NoseTip, FaceMeshTopology.NoseTip))
            .ToArray();
        var errors = pairs.SelectMany(p => new[]
        {
            Distance(Mirror(mirrored.Point(p.Item2), image.Width), mesh.Point(p.Item1)),
            Distance(Mirror(mirrored.Point(p.Item1), image.Width), mesh.Point(p.Item2)),
        }).ToArray();
        Assert.True(errors.Average() < 0.03f * interocular, $"mean mirror error {errors.Average():0.00} px, interocular {interocular:0.0} px");
        Assert.True(errors.Max() < 0.1f * interocular, $"largest mirror error {errors.Max():0.00} px");
    }

    [Fact]
    public void A_photo_turned_by_30_degrees_still_gets_a_fitting_mesh()
    {
        var encoded = TestImages.Read("grace_hopper.jpg");
        using var image = TestImages.Decode(encoded);
        var centre = new SKPoint(image.Width / 2f, image.Height / 2f);
        using var turned = TestImages.Decode(TestImages.Transform(encoded, image.Width, image.Height, (canvas, source) =>
        {
            canvas.RotateDegrees(30, centre.X, centre.Y);
            canvas.DrawImage(source, 0, 0, new SKSamplingOptions(SKFilterMode.Linear), null);
        }));

        var upright = models.Landmarker.Locate(image, models.SingleFace(image));
        var mesh = models.Landmarker.Locate(turned, models.SingleFace(turned));

        Assert.InRange(mesh.FaceScore, 0.9f, 1f);
        var rotation = SKMatrix.CreateRotationDegrees(30, centre.X, centre.Y);
        var interocular = Distance(upright.FivePoints().RightEye, upright.FivePoints().LeftEye);
        var errors = Enumerable.Range(0, FaceMeshTopology.PointCount)
            .Select(i => Distance(mesh.Point(i), rotation.MapPoint(upright.Point(i))))
            .ToArray();
        Assert.True(errors.Average() < 0.04f * interocular, $"mean error {errors.Average():0.00} px against the turned upright mesh");
        var eyeLine = mesh.FivePoints().LeftEye - mesh.FivePoints().RightEye;
        Assert.InRange(MathF.Atan2(eyeLine.Y, eyeLine.X) * 180 / MathF.PI, 25f, 35f);
    }

    [Theory]
    [InlineData("coffee.png")]
    [InlineData("chelsea.png")]
    public void A_photo_without_a_human_face_gets_a_low_face_score(string name)
    {
        using var image = TestImages.Decode(TestImages.Read(name));
        var side = Math.Min(image.Width, image.Height) * 0.8f;

        var mesh = models.Landmarker.Locate(image, new FaceMeshCrop(new SKPoint(image.Width / 2f, image.Height / 2f), side, 0));

        Assert.InRange(mesh.FaceScore, 0f, 0.2f);
    }

    [Fact]
    public void The_same_photo_gives_the_same_mesh_also_from_parallel_callers()
    {
        using var image = TestImages.Decode(TestImages.Astronaut);
        var face = models.SingleFace(image);
        var first = models.Landmarker.Locate(image, face);

        var parallel = new FaceMesh[8];
        Parallel.For(0, parallel.Length, i => parallel[i] = models.Landmarker.Locate(image, face));

        Assert.All(parallel, mesh =>
        {
            Assert.Equal(first.Points, mesh.Points);
            Assert.Equal(first.FaceScore, mesh.FaceScore);
        });
    }

    [Fact]
    public void The_refitted_second_pass_recentres_the_crop_on_the_mesh()
    {
        using var image = TestImages.Decode(TestImages.GraceHopper);
        var face = models.SingleFace(image);

        var once = models.Landmarker.Locate(image, face, passes: 1);
        var twice = models.Landmarker.Locate(image, face, passes: 2);

        Assert.Equal(FaceMeshCrop.Around(face), once.Crop);
        Assert.Equal(FaceMeshCrop.Around(once), twice.Crop);
        var bounds = once.Bounds();
        Assert.True(Distance(twice.Crop.Centre, new SKPoint(bounds.MidX, bounds.MidY)) < 0.05f * bounds.Width, "the refit is centred on the first mesh");
    }

    private static IEnumerable<(int, int)> Pairs(ReadOnlySpan<short> right, ReadOnlySpan<short> left)
    {
        var pairs = new List<(int, int)>();
        for (var i = 0; i < right.Length; i++)
        {
            pairs.Add((right[i], left[i]));
        }

        return pairs;
    }

    private static SKPoint Mirror(SKPoint point, int width) => new(width - point.X, point.Y);

    private static float Distance(SKPoint a, SKPoint b) => SKPoint.Distance(a, b);

    private static SKPoint Mean(SKPoint[] points, int from, int to) =>
        new(points[from..to].Average(p => p.X), points[from..to].Average(p => p.Y));

    /// <summary>The detector and the mesh model, loaded once for the class.</summary>
    public sealed class Models : IDisposable
    {
        public BlazeFaceDetector Detector { get; } = new(Path.Combine(AppContext.BaseDirectory, "Models", "face_detection_front_128x128_barracuda.onnx"));

        public FaceMeshLandmarker Landmarker { get; } = new(FaceMeshLandmarker.DefaultModelPath);

        public DetectorFace SingleFace(SKBitmap image) => Assert.Single(Detector.Detect(image, 0.75f, everyFace: false));

        public void Dispose()
        {
            Detector.Dispose();
            Landmarker.Dispose();
        }
    }
}
