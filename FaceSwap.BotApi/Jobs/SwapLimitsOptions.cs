using System.ComponentModel.DataAnnotations;

namespace FaceSwap.BotApi.Jobs;

public sealed class SwapLimitsOptions
{
    public const string SectionName = "Swaps";

    [Range(0, 1000)]
    public int FreeCredits { get; set; } = 3;

    [Range(1, 10_000)]
    public int MaxPerHour { get; set; } = 30;

    [Range(1, 100)]
    public int MaxSavedFaces { get; set; } = 10;
}
