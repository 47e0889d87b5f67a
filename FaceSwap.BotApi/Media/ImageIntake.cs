using FaceSwap.BotApi.Operations;
using FaceSwap.ContentSafety;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace FaceSwap.BotApi.Media;

/// <summary>
/// Checks an uploaded photo from its header before decoding anything, then decodes it at about the engine's size, not
/// its own: JPEG and WebP at a reduced scale inside the codec, PNG row by row into a box filter. Whatever the upload,
/// one decode holds at most <see cref="ImageIntakeOptions.FullDecodePixels"/>, and at most
/// <c>Images:DecodesInParallel</c> run at once. Every accepted photo is re-encoded from its pixels, upright, so no
/// metadata of the upload (EXIF, GPS) is kept. Every decoded photo is screened by the content-safety gate before it is
/// re-encoded, so a refused one is never stored nor charged for, whichever path (a new upload, a saved face) brought it.
/// </summary>
public sealed class ImageIntake(IOptions<ImageIntakeOptions> options, ImageDecodeSlots slots, ContentSafetyGate safety, FaceSwapMetrics metrics)
{
    private const int JpegQuality = 92;
    private const int JpegScaleSteps = 8; // libjpeg decodes at n/8 of the size, n = 1..8

    public async Task<IntakeResult> AcceptAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        using var data = bytes.Length == 0 ? null : SKData.CreateCopy(bytes);
        using var codec = data is null ? null : SKCodec.Create(data);
        if (codec is null || codec.Info.Width <= 0 || codec.Info.Height <= 0)
        {
            return new(IntakeVerdict.NotAnImage, Reason: "not an image, or not a format the bot reads");
        }

        var (width, height) = (codec.Info.Width, codec.Info.Height);
        var limits = options.Value;
        if ((long)width * height > limits.MaxPixels)
        {
            return new(IntakeVerdict.TooLarge, Width: width, Height: height, Reason: $"{width}x{height} is above Images:MaxPixels ({limits.MaxPixels})");
        }

        var target = TargetSize(width, height, limits.EnginePixels);
        var rowByRow = codec.EncodedFormat == SKEncodedImageFormat.Png && !PngRowReader.IsInterlaced(bytes);
        var decodeSize = rowByRow ? target : SmallestDecodeSizeCovering(codec, target);
        // Row by row holds the output and a few source rows: two as stored (up to 8 bytes a pixel) and one as RGBA.
        var heldPixels = (long)decodeSize.Width * decodeSize.Height + (rowByRow ? 5L * width : 0);
        if (heldPixels > limits.FullDecodePixels)
        {
            var reason = rowByRow
                ? $"{width}x{height}: its rows are too wide to decode row by row within {limits.FullDecodePixels} pixels"
                : $"{width}x{height} is {(codec.EncodedFormat == SKEncodedImageFormat.Png ? "an interlaced PNG" : $"a {codec.EncodedFormat} image")}, which can only be decoded whole, and that is allowed up to {limits.FullDecodePixels} pixels";
            return new(IntakeVerdict.TooLarge, Width: width, Height: height, Reason: reason);
        }

        using var slot = await slots.EnterAsync(cancellationToken);
        using var stored = rowByRow ? DecodeRowByRow(bytes, target, out var failure) : DecodeWithCodec(codec, decodeSize, target, out failure);
        if (stored is null)
        {
            return new(IntakeVerdict.NotAnImage, Width: width, Height: height, Reason: failure);
        }

        using var turned = ImageOrientation.TurnUpright(stored, codec.EncodedOrigin);
        // Screened at the engine's size, upright, while the decode slot is held: the slot also bounds the classifier's
        // CPU (about 10 ms a photo) when many photos arrive at once.
        var verdict = safety.Screen(turned ?? stored);
        if (!verdict.IsSafe)
        {
            metrics.ContentRefused("intake", verdict.Class);
            return new(IntakeVerdict.Unsafe, Width: width, Height: height, Reason: verdict.ToString(), Safety: verdict);
        }

        return new(IntakeVerdict.Accepted, Encode(turned ?? stored), width, height, Safety: verdict);
    }

    /// <summary>The size the engine gets: at most <paramref name="enginePixels"/>, the aspect ratio kept, never enlarged.</summary>
    private static SKSizeI TargetSize(int width, int height, long enginePixels)
    {
        var pixels = (long)width * height;
        if (pixels <= enginePixels)
        {
            return new(width, height);
        }

        var scale = Math.Sqrt((double)enginePixels / pixels);
        return new(Math.Clamp((int)(width * scale), 1, width), Math.Clamp((int)(height * scale), 1, height));
    }

    /// <summary>
    /// The smallest size the codec can decode to that still covers the target (JPEG: n/8 steps; WebP: any); the full
    /// size for codecs that cannot scale. <c>GetScaledDimensions</c> rounds down to a step, so each step is asked for.
    /// </summary>
    private static SKSizeI SmallestDecodeSizeCovering(SKCodec codec, SKSizeI target)
    {
        for (var step = 1; step < JpegScaleSteps; step++)
        {
            var size = codec.GetScaledDimensions((float)step / JpegScaleSteps);
            if (size.Width >= target.Width && size.Height >= target.Height)
            {
                return size;
            }
        }

        return codec.Info.Size;
    }

    private static SKBitmap? DecodeWithCodec(SKCodec codec, SKSizeI decodeSize, SKSizeI target, out string? failure)
    {
        // No colour space: the encoded values are kept as they are, and no ICC profile is written on re-encoding.
        var info = new SKImageInfo(decodeSize.Width, decodeSize.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var decoded = new SKBitmap(info);
        var status = codec.GetPixels(info, decoded.GetPixels(), new SKCodecOptions(0)); // frame 0 of an animation
        if (status != SKCodecResult.Success)
        {
            decoded.Dispose();
            failure = status is SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput
                ? "the file is truncated or damaged"
                : $"the decoder said {status}";
            return null;
        }

        failure = null;
        if (decodeSize == target)
        {
            return decoded;
        }

        using (decoded)
        {
            var resized = new SKBitmap(info.WithSize(target.Width, target.Height));
            if (decoded.ScalePixels(resized, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear)))
            {
                return resized;
            }

            resized.Dispose();
            failure = "the decoded pixels could not be resized";
            return null;
        }
    }

    private static SKBitmap? DecodeRowByRow(byte[] png, SKSizeI target, out string? failure)
    {
        using var reader = PngRowReader.Open(png);
        if (reader is null)
        {
            failure = "the PNG header is damaged";
            return null;
        }

        var output = new SKBitmap(new SKImageInfo(target.Width, target.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        try
        {
            var downscaler = new BoxDownscaler(reader.Width, reader.Height, target.Width, target.Height);
            var row = new byte[reader.Width * 4];
            var pixels = output.GetPixelSpan();
            for (var y = 0; y < reader.Height; y++)
            {
                if (!reader.ReadRow(row))
                {
                    output.Dispose();
                    failure = "the file is truncated";
                    return null;
                }

                downscaler.AddRow(y, row, pixels);
            }
        }
        catch (InvalidDataException ex)
        {
            output.Dispose();
            failure = "the file is damaged: " + ex.Message;
            return null;
        }

        failure = null;
        return output;
    }

    /// <summary>JPEG for photos; PNG when some pixel is transparent, which the engine keeps and JPEG could not.</summary>
    private static byte[] Encode(SKBitmap image)
    {
        using var encoded = HasTransparentPixels(image)
            ? image.Encode(SKEncodedImageFormat.Png, 100)
            : image.Encode(SKEncodedImageFormat.Jpeg, JpegQuality);
        return encoded.ToArray();
    }

    private static bool HasTransparentPixels(SKBitmap image)
    {
        if (image.AlphaType == SKAlphaType.Opaque)
        {
            return false;
        }

        var pixels = image.GetPixelSpan();
        for (var alpha = 3; alpha < pixels.Length; alpha += 4)
        {
            if (pixels[alpha] != 255)
            {
                return true;
            }
        }

        return false;
    }
}
