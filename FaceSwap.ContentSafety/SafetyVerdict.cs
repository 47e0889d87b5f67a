namespace FaceSwap.ContentSafety;

/// <summary>The gate's answer for one image.</summary>
/// <param name="IsSafe">False when the image is refused.</param>
/// <param name="Class">The class it was refused for; <see cref="NsfwClass.None"/> when safe.</param>
/// <param name="Score">The probability that crossed the threshold; when safe, Porn + Hentai.</param>
/// <param name="Scores">All five scores; null when the gate is disabled and nothing was classified.</param>
public readonly record struct SafetyVerdict(bool IsSafe, NsfwClass Class, float Score, NsfwScores? Scores)
{
    /// <summary>The gate is switched off (<c>ContentSafety:Enabled=false</c>): nothing was looked at.</summary>
    public static SafetyVerdict NotScreened { get; } = new(true, NsfwClass.None, 0f, null);

    public static SafetyVerdict Passed(NsfwScores scores) => new(true, NsfwClass.None, scores.Explicit, scores);

    public static SafetyVerdict Refused(NsfwClass refusedFor, float score, NsfwScores scores) => new(false, refusedFor, score, scores);

    public override string ToString() => IsSafe
        ? $"safe (explicit {Score:0.0000})"
        : $"unsafe: {Class} {Score:0.0000} ({Scores})";
}
