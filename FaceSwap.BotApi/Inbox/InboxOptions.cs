using System.ComponentModel.DataAnnotations;

namespace FaceSwap.BotApi.Inbox;

public sealed class InboxOptions : IValidatableObject
{
    public const string SectionName = "Inbox";

    /// <summary>Attempts to handle one update (counted before each starts) before it is set aside and the user told.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Chats handled at once. Updates within one chat are always handled in order.</summary>
    [Range(1, 256)]
    public int ChatsInParallel { get; set; } = 8;

    /// <summary>Updates one chat handles in a row before the chats waiting longest get their turn.</summary>
    [Range(1, 1000)]
    public int UpdatesPerTurn { get; set; } = 4;

    /// <summary>
    /// A chat with more updates waiting than this is flooding: all but the first few of its waiting updates are set
    /// aside (kept, status Shed, for the operator) and the user is told once to slow down. Payments are never set aside.
    /// </summary>
    [Range(2, 10_000)]
    public int MaxPendingPerChat { get; set; } = 20;

    /// <summary>How many of a flooding chat's oldest waiting updates are still handled.</summary>
    [Range(1, 100)]
    public int KeptWhenFlooding { get; set; } = 3;

    /// <summary>Fallback poll when no wake-up arrives.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (KeptWhenFlooding >= MaxPendingPerChat)
        {
            yield return new("Inbox:KeptWhenFlooding must be below Inbox:MaxPendingPerChat.", [nameof(KeptWhenFlooding)]);
        }
    }
}
