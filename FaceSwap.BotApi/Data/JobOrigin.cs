namespace FaceSwap.BotApi.Data;

/// <summary>Where a swap was asked for: its result goes back there (a web swap reaches the chat only when the user asks).</summary>
public enum JobOrigin
{
    Chat,
    Web,
}
