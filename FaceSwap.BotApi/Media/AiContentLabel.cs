using System.ComponentModel.DataAnnotations;
using SkiaSharp;

namespace FaceSwap.BotApi.Media;

/// <summary>
/// Marks a swap result as AI-altered, machine-readably (an XMP packet with the IPTC Digital Source Type, EU AI Act
/// Art. 50(2)) and, optionally, visibly.
/// </summary>
/// <remarks>
/// The XMP is written by hand: SkiaSharp encodes no metadata, and of the NuGet packages at hand MetadataExtractor
/// only reads, XmpCore builds packets but embeds them in no file format (and comes under Adobe's SDK licence), and
/// ImageSharp would re-encode the picture (and is the library this project avoids for crafted-input flaws).
/// Inserting one segment or chunk is small, and copying the compressed picture untouched keeps the pixels exact.
/// </remarks>
public static class AiContentLabel
{
    private const int VisibleMarkJpegQuality = 92;

    private static readonly string[] FontDirectories = ["/usr/share/fonts", "/usr/local/share/fonts"];

    private static SKTypeface? EmbeddedFont()
    {
        using var font = typeof(AiContentLabel).Assembly.GetManifestResourceStream("FaceSwap.BotApi.Media.Fonts.DejaVuSans.ttf");
        return font is null ? null : SKTypeface.FromStream(font);
    }

    private static readonly Lazy<string[]> FontFiles = new(() =>
        [.. FontDirectories.Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".ttf", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".otf", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)]);

    /// <summary>Whether <see cref="Apply"/> can label this encoding (JPEG, PNG or WebP, told by the file signature).</summary>
    public static bool CanApply(ReadOnlySpan<byte> encodedImage) =>
        JpegXmpWriter.IsJpeg(encodedImage) || PngXmpWriter.IsPng(encodedImage) || WebpXmpWriter.IsWebp(encodedImage);

    /// <summary>
    /// Returns the image with one XMP packet describing <paramref name="label"/> and no other metadata of the input
    /// (Exif with GPS, IPTC-IIM, comments, text chunks, an earlier XMP packet are all dropped); the compressed
    /// picture is copied unchanged. The packet is an APP1 segment after SOI (and JFIF) in JPEG, an iTXt chunk before
    /// the first IDAT in PNG, an <c>XMP </c> chunk after the image data in WebP. The same input and label give the
    /// same bytes, and labelling a labelled image again replaces the packet.
    /// </summary>
    /// <exception cref="NotSupportedException">The image is not JPEG, PNG or WebP (e.g. GIF): encode it as one of them first.</exception>
    /// <exception cref="FormatException">The JPEG, PNG or WebP is malformed.</exception>
    /// <exception cref="ValidationException">The label is incomplete.</exception>
    public static byte[] Apply(byte[] encodedImage, AiContentLabelOptions label)
    {
        ArgumentNullException.ThrowIfNull(encodedImage);
        ArgumentNullException.ThrowIfNull(label);
        Validator.ValidateObject(label, new ValidationContext(label), validateAllProperties: true);
        var packet = XmpPacket.Build(label);
        if (JpegXmpWriter.IsJpeg(encodedImage))
        {
            return JpegXmpWriter.Write(encodedImage, packet);
        }

        if (PngXmpWriter.IsPng(encodedImage))
        {
            return PngXmpWriter.Write(encodedImage, packet);
        }

        if (WebpXmpWriter.IsWebp(encodedImage))
        {
            return WebpXmpWriter.Write(encodedImage, packet);
        }

        throw new NotSupportedException("AI labels are written into JPEG, PNG and WebP only; the image is none of them.");
    }

    /// <summary>
    /// Draws <paramref name="text"/> (e.g. "AI-edited") small and semi-transparent into the bottom-right corner, sized to
    /// the image, and re-encodes it in its own format (JPEG, PNG or WebP). Re-encoding drops all metadata, so call
    /// this before <see cref="Apply"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No installed font has glyphs for the text (install e.g. fonts-dejavu-core).</exception>
    public static byte[] DrawVisibleMark(byte[] image, string text)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        using var data = SKData.CreateCopy(image);
        using var codec = SKCodec.Create(data) ?? throw new FormatException("The image does not decode.");
        var format = codec.EncodedFormat;
        if (format is not (SKEncodedImageFormat.Jpeg or SKEncodedImageFormat.Png or SKEncodedImageFormat.Webp))
        {
            throw new NotSupportedException($"A visible mark is drawn into JPEG, PNG and WebP only, not {format}.");
        }

        using var bitmap = SKBitmap.Decode(codec) ?? throw new FormatException("The image does not decode.");
        using var typeface = TypefaceFor(text);
        var shortSide = Math.Min(bitmap.Width, bitmap.Height);
        // About 3.5% of the short side: readable on a phone, small enough not to spoil the picture.
        using var font = new SKFont(typeface, Math.Max(10f, shortSide * 0.035f));
        var width = font.MeasureText(text, out var bounds);
        var margin = font.Size * 0.5f;
        var padding = font.Size * 0.3f;
        var baseline = new SKPoint(bitmap.Width - margin - padding - width, bitmap.Height - margin - padding - bounds.Bottom);
        var backdrop = new SKRect(baseline.X - padding, baseline.Y + bounds.Top - padding, baseline.X + width + padding, baseline.Y + bounds.Bottom + padding);
        using (var canvas = new SKCanvas(bitmap))
        {
            using var backdropPaint = new SKPaint { Color = new SKColor(0, 0, 0, 0x60), IsAntialias = true };
            canvas.DrawRoundRect(backdrop, padding, padding, backdropPaint);
            using var textPaint = new SKPaint { Color = new SKColor(0xFF, 0xFF, 0xFF, 0xC0), IsAntialias = true };
            canvas.DrawText(text, baseline.X, baseline.Y, SKTextAlign.Left, font, textPaint);
        }

        using var encoded = bitmap.Encode(format, VisibleMarkJpegQuality) ?? throw new InvalidOperationException($"SkiaSharp could not encode {format}.");
        return encoded.ToArray();
    }

    /// <summary>Whether <see cref="DrawVisibleMark"/> can draw this text (a font has its glyphs); checked at start.</summary>
    public static bool CanDrawVisibleMark(string text)
    {
        try
        {
            TypefaceFor(text).Dispose();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether the image already carries this labeller's XMP, i.e. it was labelled (and marked) before: a result
    /// delivered again after a failed attempt must not get a second visible mark on top of the first.
    /// </summary>
    public static bool IsLabelled(ReadOnlySpan<byte> encodedImage) =>
        encodedImage.IndexOf("Iptc4xmpExt:DigitalSourceType"u8) >= 0;

    /// <summary>
    /// A typeface that has glyphs for the text: DejaVu Sans embedded in this assembly (Media/Fonts: the container image
    /// has no fonts), else a system font. SkiaSharp's Linux build without dependencies has no fontconfig and finds no
    /// system font by itself (its default typeface draws nothing), so the font files under the usual directories are
    /// tried in name order. A missing font must fail loudly: a mark that silently draws nothing would defeat its purpose.
    /// </summary>
    private static SKTypeface TypefaceFor(string text)
    {
        foreach (var open in FontFiles.Value.Select(file => (Func<SKTypeface?>)(() => SKTypeface.FromFile(file))).Prepend(EmbeddedFont))
        {
            var typeface = open();
            if (typeface is null)
            {
                continue;
            }

            using (var probe = new SKFont(typeface))
            {
                if (probe.ContainsGlyphs(text))
                {
                    return typeface;
                }
            }

            typeface.Dispose();
        }

        throw new InvalidOperationException($"No installed font can draw \"{text}\"; install one (e.g. the fonts-dejavu-core package).");
    }
}
