using System.ComponentModel.DataAnnotations;

namespace FaceSwap.BotApi.Media;

public sealed class ImageIntakeOptions
{
    public const string SectionName = "Images";

    /// <summary>Photos above this are refused, judged from the header alone (decoding them could take gigabytes).</summary>
    [Range(1, long.MaxValue, ErrorMessage = "Images:MaxPixels must be at least 1.")]
    public long MaxPixels { get; set; } = 40_000_000;

    /// <summary>Photos above this are downscaled on receipt: the engine needs no more, and Redis keeps less.</summary>
    [Range(10_000, long.MaxValue, ErrorMessage = "Images:EnginePixels must be at least 10000.")]
    public long EnginePixels { get; set; } = 4_000_000;

    /// <summary>
    /// Decodes running at once. Each holds up to <see cref="FullDecodePixels"/> x 4 bytes (64 MB at the defaults) plus its output, so this
    /// bounds the memory photo intake can take however many photos arrive together.
    /// </summary>
    [Range(1, 16, ErrorMessage = "Images:DecodesInParallel must be between 1 and 16.")]
    public int DecodesInParallel { get; set; } = 2;

    /// <summary>
    /// The most pixels one decode may hold at once: formats that can be decoded neither at a reduced scale nor row by
    /// row (interlaced PNG, GIF, BMP) are decoded whole only up to this size. Four times the engine size also covers
    /// the largest JPEG scale step (a 1/8 step above the target holds at most 4x the target's pixels).
    /// </summary>
    public long FullDecodePixels => 4 * EnginePixels;
}
