using FaceSwap.BotApi.Media;
using FaceSwap.Tests.Engine;
using SkiaSharp;

namespace FaceSwap.Tests.BotApi;

/// <summary>The row reader must give the pixels Skia gives for the same PNG, in every layout PNG has.</summary>
public sealed class ImageIntakePngRowReaderTests
{
    public static TheoryData<string> Layouts() =>
    [
        "photo rgb (all filters)", "rgba with transparency", "grey 8", "rgb 16", "palette with alpha", "grey 1", "grey 4 with key", "rgb 8 with key",
    ];

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Rows_match_skias_full_decode(string layout)
    {
        var png = Png(layout);

        using var reader = PngRowReader.Open(png);

        Assert.NotNull(reader);
        using var expected = SkiaDecode(png);
        Assert.Equal((expected.Width, expected.Height), (reader.Width, reader.Height));
        var row = new byte[reader.Width * 4];
        var pixels = expected.GetPixelSpan();
        for (var y = 0; y < reader.Height; y++)
        {
            Assert.True(reader.ReadRow(row), $"row {y} is missing");
            var skiaRow = pixels.Slice(y * expected.RowBytes, row.Length);
            for (var i = 0; i < row.Length; i++)
            {
                // 16-bit samples: Skia rounds, the reader keeps the high byte.
                Assert.True(Math.Abs(row[i] - skiaRow[i]) <= 1, $"{layout}: pixel ({i / 4 % reader.Width}, {y}) channel {i % 4} is {row[i]}, Skia says {skiaRow[i]}");
            }
        }

        Assert.False(reader.ReadRow(row), "there is no row after the last");
    }

    [Fact]
    public void An_interlaced_png_is_not_opened()
    {
        var interlaced = ImageIntakePngWriter.Write(16, 16, ImageIntakePngWriter.Rgb, 8, ImageIntakePngWriter.RgbRows(16, (x, y) => ((byte)x, (byte)y, 0)), interlaced: true);

        Assert.True(PngRowReader.IsInterlaced(interlaced));
        Assert.Null(PngRowReader.Open(interlaced));
    }

    [Fact]
    public void Damaged_compressed_data_is_reported_as_invalid_data()
    {
        var png = TestImages.Astronaut.ToArray();
        var data = png.AsSpan().IndexOf("IDAT"u8) + 4;
        png.AsSpan(data + 2, 512).Fill(0xFF); // past the zlib header, inside the deflate blocks

        using var reader = PngRowReader.Open(png)!;

        Assert.Throws<InvalidDataException>(() =>
        {
            var row = new byte[reader.Width * 4];
            for (var y = 0; y < reader.Height && reader.ReadRow(row); y++)
            {
            }
        });
    }

    private static SKBitmap SkiaDecode(byte[] png)
    {
        using var codec = SKCodec.Create(new MemoryStream(png));
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        Assert.Equal(SKCodecResult.Success, codec.GetPixels(info, bitmap.GetPixels()));
        return bitmap;
    }

    private static byte[] Png(string layout)
    {
        const int width = 37, height = 23; // odd sizes, so sub-byte rows end mid-byte
        return layout switch
        {
            "photo rgb (all filters)" => TestImages.Astronaut,
            "rgba with transparency" => TestImages.WithTransparentStrip(TestImages.Coffee),
            "grey 8" => TestImages.Greyscale(TestImages.Chelsea),
            "rgb 16" => ImageIntakePngWriter.Write(width, height, ImageIntakePngWriter.Rgb, 16, (y, row) =>
            {
                for (var x = 0; x < width; x++)
                {
                    // Each channel's 16-bit sample is v * 257, whose high byte and rounded value are both v.
                    var (r, g, b) = ((byte)(x * 7), (byte)(y * 11), (byte)(x + y));
                    (row[x * 6], row[x * 6 + 1], row[x * 6 + 2], row[x * 6 + 3], row[x * 6 + 4], row[x * 6 + 5]) = (r, r, g, g, b, b);
                }
            }),
            "palette with alpha" => ImageIntakePngWriter.Write(width, height, ImageIntakePngWriter.Palette, 8, (y, row) =>
            {
                for (var x = 0; x < width; x++)
                {
                    row[x] = (byte)((x + y) % 4);
                }
            }, palette: [255, 0, 0, 0, 255, 0, 0, 0, 255, 200, 200, 200], transparency: [255, 128, 0]),
            "grey 1" => ImageIntakePngWriter.Write(width, height, ImageIntakePngWriter.Grey, 1, (y, row) =>
            {
                row.Clear();
                for (var x = 0; x < width; x++)
                {
                    row[x / 8] |= (byte)(((x ^ y) & 1) << (7 - x % 8));
                }
            }),
            "grey 4 with key" => ImageIntakePngWriter.Write(width, height, ImageIntakePngWriter.Grey, 4, (y, row) =>
            {
                row.Clear();
                for (var x = 0; x < width; x++)
                {
                    row[x / 2] |= (byte)(((x + y) % 16) << (x % 2 == 0 ? 4 : 0));
                }
            }, transparency: [0, 5]),
            _ => ImageIntakePngWriter.Write(width, height, ImageIntakePngWriter.Rgb, 8,
                ImageIntakePngWriter.RgbRows(width, (x, y) => ((byte)(x % 3 * 100), (byte)(y % 2 * 100), 50)), transparency: [0, 100, 0, 100, 0, 50]),
        };
    }
}
