namespace FaceSwap.Messaging;

/// <summary>What a handler did with one entry.</summary>
public enum StreamEntryOutcome
{
    /// <summary>Handled, or handled as far as it ever can be: the entry is acknowledged.</summary>
    Done,

    /// <summary>A passing failure: the entry stays pending and is delivered again after the claim timeout, while others flow.</summary>
    Retry,
}
