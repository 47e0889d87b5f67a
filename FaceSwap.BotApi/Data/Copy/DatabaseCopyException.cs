namespace FaceSwap.BotApi.Data.Copy;

/// <summary>A copy refused or failed for a reason the operator can act on; its message is the one line printed.</summary>
public sealed class DatabaseCopyException(string message) : Exception(message);
