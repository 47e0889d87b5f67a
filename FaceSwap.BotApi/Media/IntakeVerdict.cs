namespace FaceSwap.BotApi.Media;

public enum IntakeVerdict
{
    Accepted,
    NotAnImage,
    TooLarge,
}
