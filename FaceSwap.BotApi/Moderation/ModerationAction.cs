namespace FaceSwap.BotApi.Moderation;

/// <summary>What a moderation log line records.</summary>
public enum ModerationAction
{
    Reported = 0,
    Banned = 1,
    Unbanned = 2,
    /// <summary>The user ran /deletedata; kept so an operator can answer "what happened to my data".</summary>
    DataDeleted = 3,
}
