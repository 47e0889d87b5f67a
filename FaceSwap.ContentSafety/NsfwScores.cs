namespace FaceSwap.ContentSafety;

/// <summary>
/// The nsfwjs classifier's five class probabilities for one image (they sum to 1). Porn and Hentai are what the gate
/// decides on: Sexy is left out on purpose, because ordinary photos of people in sportswear or swimwear score high on
/// it (a footballer photo scored Sexy 0.92, see /work/shared/notes "Content safety").
/// </summary>
public readonly record struct NsfwScores(float Drawing, float Hentai, float Neutral, float Porn, float Sexy)
{
    /// <summary>Probability that the image is explicit: Porn + Hentai (photographic or drawn).</summary>
    public float Explicit => Porn + Hentai;

    public override string ToString() =>
        $"Drawing {Drawing:0.0000}, Hentai {Hentai:0.0000}, Neutral {Neutral:0.0000}, Porn {Porn:0.0000}, Sexy {Sexy:0.0000}";
}
