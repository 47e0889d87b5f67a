namespace FaceSwap.TelegramEmulator.Control;

public sealed record FaultRequest(string? Method, int? StatusCode, int Count = 1, int? RetryAfter = null, long? ChatId = null, int? DelayMs = null, bool Lost = false);
