namespace FaceSwap.BotApi.Inbox;

/// <summary>
/// The stored update the current scope is handling. Work that must happen once per update (a paid swap) keys on it,
/// so handling an update again after a crash finds what the first attempt did instead of doing it twice.
/// </summary>
public sealed class CurrentUpdate
{
    /// <summary>Null outside the inbox worker (e.g. payments confirmed by a Stripe webhook).</summary>
    public long? UpdateId { get; set; }
}
