namespace FaceSwap.TelegramEmulator.Infrastructure;

/// <summary>A control API request that cannot be carried out (answered as 400 ProblemDetails).</summary>
public sealed class ControlException(string message) : Exception(message);
