namespace FaceSwap.BotApi.Media;

/// <summary>What <see cref="PhotoIntake"/> made of a photo: stored under <paramref name="BlobKey"/>, or refused.</summary>
/// <param name="BlobKey">The checked, re-encoded photo's key in the blob store; null when refused.</param>
/// <param name="Refusal">What to tell the user when refused, in their language; null when stored.</param>
public sealed record PhotoIntakeResult(string? BlobKey, string? Refusal)
{
    public static PhotoIntakeResult Stored(string blobKey) => new(blobKey, null);

    public static PhotoIntakeResult Refused(string reply) => new(null, reply);
}
