namespace FaceSwap.BotApi.Data;

public enum ConversationStep
{
    AwaitingFace = 0,
    AwaitingTarget = 1,
}
