namespace FaceSwap.Benchmarks.Load;

/// <summary>A simulated user's chat as the emulator sees it: whether the bot can reach it, and how often it was refused.</summary>
public sealed record ChatView(long UserId, string State, long RefusedCalls);
