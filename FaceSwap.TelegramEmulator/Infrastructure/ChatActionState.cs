namespace FaceSwap.TelegramEmulator.Infrastructure;

public sealed record ChatActionState(string? Action, DateTimeOffset? At);
