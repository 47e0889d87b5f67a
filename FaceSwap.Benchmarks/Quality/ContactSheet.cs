using SkiaSharp;

namespace FaceSwap.Benchmarks.Quality;

/// <summary>A grid of thumbnails, one row per pair: face photo, target, result (or the refusal), with a caption.</summary>
public static class ContactSheet
{
    private const int Cell = 200, Caption = 22, Title = 30;

    public static void Write(string path, string title, IReadOnlyList<(SKBitmap Face, SKBitmap Target, SKBitmap? Result, string Caption)> rows)
    {
        using var sheet = new SKBitmap(new SKImageInfo(Cell * 3, Title + rows.Count * (Cell + Caption), SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(sheet))
        using (var font = new SKFont(SKTypeface.Default, 14))
        using (var titleFont = new SKFont(SKTypeface.Default, 18))
        using (var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true })
        {
            canvas.Clear(SKColors.White);
            canvas.DrawText($"{title}: face photo | target | result", 6, 21, SKTextAlign.Left, titleFont, ink);
            for (var r = 0; r < rows.Count; r++)
            {
                var top = Title + r * (Cell + Caption);
                var (face, target, result, caption) = rows[r];
                Draw(canvas, face, 0, top);
                Draw(canvas, target, Cell, top);
                if (result is not null)
                {
                    Draw(canvas, result, Cell * 2, top);
                }
                else
                {
                    canvas.DrawText("refused", Cell * 2 + 60, top + Cell / 2f, SKTextAlign.Left, font, ink);
                }

                canvas.DrawText(caption, 6, top + Cell + 16, SKTextAlign.Left, font, ink);
            }
        }

        // JPEG for the repository (a tenth of the size), PNG next to it for viewers that read PNG only.
        using (var jpeg = sheet.Encode(SKEncodedImageFormat.Jpeg, 85))
        {
            File.WriteAllBytes(path, jpeg.ToArray());
        }

        using var png = sheet.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(Path.ChangeExtension(path, ".png"), png.ToArray());
    }

    private static void Draw(SKCanvas canvas, SKBitmap bitmap, int left, int top)
    {
        var scale = MathF.Min((float)Cell / bitmap.Width, (float)Cell / bitmap.Height);
        var width = bitmap.Width * scale;
        var height = bitmap.Height * scale;
        using var image = SKImage.FromBitmap(bitmap);
        canvas.DrawImage(image, SKRect.Create(left + (Cell - width) / 2, top + (Cell - height) / 2, width, height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
    }
}
