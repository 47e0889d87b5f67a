namespace FaceSwap.BotApi.Media;

public enum IntakeVerdict
{
    Accepted,
    NotAnImage,
    TooLarge,
    /// <summary>The content-safety gate refused it (sexual content); nothing of it is kept.</summary>
    Unsafe,
}
