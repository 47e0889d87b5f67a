namespace FaceSwap.Messaging;

/// <summary>
/// Handles the messages of one stream, one entry at a time. Resolved from a new DI scope for every entry, so a handler
/// may depend on scoped services (a DbContext).
/// </summary>
public interface IStreamEntryHandler<in TMessage>
{
    /// <summary>Entries with the same key are handled in the order they were added; different keys run side by side.</summary>
    string KeyOf(TMessage message);

    /// <summary>Handles one entry. An exception counts as <see cref="StreamEntryOutcome.Retry"/>.</summary>
    Task<StreamEntryOutcome> HandleAsync(TMessage message, StreamDelivery delivery, CancellationToken cancellationToken);

    /// <summary>
    /// The entry was delivered more than the maximum number of times and goes to the dead-letter stream: the last chance
    /// to make its failure known (tell the user, refund). An exception here leaves the entry pending, to be tried again.
    /// </summary>
    Task OnDeadLetterAsync(TMessage message, StreamDelivery delivery, string reason, CancellationToken cancellationToken);
}
