using System.Numerics;
using FaceSwap.ContentSafety;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SkiaSharp;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>
/// MediaPipe FaceMesh (468 points in 3D, Apache-2.0) run with ONNX Runtime. A square around the detected face,
/// turned upright by the eye line, is resampled to the model's 192x192 input; the points come back in crop pixels
/// and are mapped to the photo by the inverse of that crop. Load once and share: ONNX Runtime's Run is thread-safe.
/// </summary>
public sealed class FaceMeshLandmarker : IDisposable
{
    public const int InputSize = 192;

    /// <summary>
    /// Passes by default: the crop from the detector, then one refitted to the first mesh, as MediaPipe does when it
    /// tracks. The refit takes the turn from the eye corners rather than BlazeFace's rough eye points. Measured on the
    /// seven test faces turned by 15/30/45 degrees (mean point distance to the upright mesh turned likewise, over the
    /// interocular distance): one pass 0.015/0.020/0.042, two passes 0.012/0.015/0.022; a third pass adds little. On
    /// upright faces it changes the fit to the reviewed dlib points by under 0.005 of the interocular distance.
    /// </summary>
    public const int DefaultPasses = 2;

    /// <summary>The model shipped in the processor's Models folder.</summary>
    public static string DefaultModelPath => Path.Combine(AppContext.BaseDirectory, "Models", "facemesh.onnx");

    private readonly InferenceSession session;
    private readonly string inputName;

    public FaceMeshLandmarker(string modelPath)
    {
        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException($"the face mesh model was not found at '{modelPath}'; it ships in the processor's Models folder.", modelPath);
        }

        session = OnnxSessions.OpenSingleThreaded(modelPath);
        inputName = session.InputMetadata.Keys.Single();
    }

    /// <summary>The mesh of a detected face, after <paramref name="passes"/> runs (each refits the crop to the last mesh).</summary>
    public FaceMesh Locate(SKBitmap image, DetectorFace face, int passes = DefaultPasses)
    {
        using var source = BitmapImage.Wrap(image);
        return Locate(source, face, passes);
    }

    /// <summary>The same on an image that is also drawn from elsewhere: Skia builds its mipmaps once for all who draw it.</summary>
    public FaceMesh Locate(SKImage source, DetectorFace face, int passes = DefaultPasses)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(passes, 1);
        var mesh = Locate(source, FaceMeshCrop.Around(face));
        for (var pass = 1; pass < passes; pass++)
        {
            mesh = Locate(source, FaceMeshCrop.Around(mesh));
        }

        return mesh;
    }

    /// <summary>The mesh of whatever face is in <paramref name="crop"/> (one model run).</summary>
    public FaceMesh Locate(SKBitmap image, FaceMeshCrop crop)
    {
        using var source = BitmapImage.Wrap(image);
        return Locate(source, crop);
    }

    private FaceMesh Locate(SKImage source, FaceMeshCrop crop)
    {
        var cropToImage = crop.CropToImage(InputSize);
        var input = new DenseTensor<float>([1, InputSize, InputSize, 3]);
        using (var square = new SKBitmap(new SKImageInfo(InputSize, InputSize, SKColorType.Rgba8888, SKAlphaType.Unpremul)))
        {
            using (var canvas = new SKCanvas(square))
            using (var paint = new SKPaint())
            {
                // Clamp repeats the photo's edge pixels where the crop reaches past the photo, as MediaPipe's
                // image-to-tensor step does by default; black borders would read as a dark frame around the face.
                using var shader = source.ToShader(SKShaderTileMode.Clamp, SKShaderTileMode.Clamp,
                    new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear), cropToImage.Invert());
                paint.Shader = shader;
                canvas.DrawRect(0, 0, InputSize, InputSize, paint);
            }

            var pixels = square.GetPixelSpan();
            var values = input.Buffer.Span;
            for (int i = 0, o = 0; i < InputSize * InputSize; i++, o += 3)
            {
                // The model takes RGB scaled to [0, 1].
                values[o] = pixels[i * 4] / 255f;
                values[o + 1] = pixels[i * 4 + 1] / 255f;
                values[o + 2] = pixels[i * 4 + 2] / 255f;
            }
        }

        using var outputs = session.Run([NamedOnnxValue.CreateFromTensor(inputName, input)], ["output_mesh", "output_faceflag"]);
        var mesh = ((DenseTensor<float>)outputs[0].AsTensor<float>()).Buffer.Span;
        var faceScore = outputs[1].AsTensor<float>().GetValue(0);

        var depthScale = crop.Size / InputSize;
        var points = new Vector3[FaceMeshTopology.PointCount];
        for (var i = 0; i < points.Length; i++)
        {
            var mapped = cropToImage.MapPoint(mesh[i * 3], mesh[i * 3 + 1]);
            points[i] = new Vector3(mapped.X, mapped.Y, mesh[i * 3 + 2] * depthScale);
        }

        return new FaceMesh(points, faceScore, crop);
    }

    public void Dispose() => session.Dispose();
}
