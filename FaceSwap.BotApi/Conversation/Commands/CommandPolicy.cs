namespace FaceSwap.BotApi.Conversation.Commands;

/// <summary>Who may run a command.</summary>
public enum CommandPolicy
{
    Everyone,

    /// <summary>
    /// The operators listed in <c>Payments:AdminUserIds</c>. Anyone else gets the reply to an unknown command, so the
    /// bot does not reveal that the command exists.
    /// </summary>
    Admin,
}
