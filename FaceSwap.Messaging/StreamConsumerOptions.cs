using System.ComponentModel.DataAnnotations;

namespace FaceSwap.Messaging;

/// <summary>How one consumer reads one stream. The stream has one consumer group: trimming assumes no other group reads it.</summary>
public sealed class StreamConsumerOptions : IValidatableObject
{
    [Required]
    public string Stream { get; set; } = "";

    [Required]
    public string Group { get; set; } = "";

    /// <summary>This consumer's name in the group. A fixed name finds its own pending entries again after a restart.</summary>
    [Required]
    public string Consumer { get; set; } = "";

    /// <summary>Where entries go that could not be read or were delivered more than <see cref="MaxDeliveries"/> times.</summary>
    [Required]
    public string DeadLetterStream { get; set; } = "";

    /// <summary>Pub/sub channel a producer nudges after adding an entry, so an idle consumer wakes at once.</summary>
    public string? NudgeChannel { get; set; }

    /// <summary>Deliveries after which an entry is dead-lettered.</summary>
    [Range(1, 100)]
    public int MaxDeliveries { get; set; } = 3;

    /// <summary>
    /// An entry left pending this long by a consumer is claimed again (by anyone, this consumer included). A consumer
    /// renews the claim of the entries it is handling every third of this, so a slow entry is never taken from a live
    /// consumer; only a dead consumer's entries are, and a failed entry is retried after this long.
    /// </summary>
    public TimeSpan ClaimAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Entries handled at once (each on its own; entries of one key in order).</summary>
    [Range(1, 256)]
    public int HandlersInParallel { get; set; } = 1;

    /// <summary>Fallback poll when no nudge arrives.</summary>
    public TimeSpan IdlePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often acknowledged entries are trimmed from the stream.</summary>
    public TimeSpan TrimInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The dead-letter stream keeps about this many entries, the newest.</summary>
    [Range(100, 10_000_000)]
    public int DeadLetterMaxLength { get; set; } = 10_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ClaimAfter < TimeSpan.FromMilliseconds(100))
        {
            yield return new($"ClaimAfter of the {Stream} consumer must be at least 00:00:00.1 (it is renewed every third of it).", [nameof(ClaimAfter)]);
        }
    }
}
