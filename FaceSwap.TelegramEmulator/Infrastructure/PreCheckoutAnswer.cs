namespace FaceSwap.TelegramEmulator.Infrastructure;

public sealed record PreCheckoutAnswer(bool Ok, string? ErrorMessage);
