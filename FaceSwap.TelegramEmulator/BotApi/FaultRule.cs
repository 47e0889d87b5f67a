using FaceSwap.TelegramEmulator.Infrastructure;

namespace FaceSwap.TelegramEmulator.BotApi;

/// <summary>
/// A queued failure: the next <see cref="Count"/> calls of <see cref="Method"/> (any method if null) aimed at
/// <see cref="ChatId"/> (any chat if null) wait <see cref="DelayMs"/>, then fail with <see cref="StatusCode"/>, or
/// take effect and lose their answer (<see cref="Lost"/>), or just answer late.
/// </summary>
public sealed record FaultRule(string? Method, int? StatusCode, int Count, int? RetryAfter, long? ChatId = null, int? DelayMs = null, bool Lost = false)
{
    /// <summary>The error in Telegram's wording for the injected status code.</summary>
    public BotApiException ToException() => StatusCode switch
    {
        429 => new BotApiException(429, $"Too Many Requests: retry after {RetryAfter ?? 1}", RetryAfter ?? 1),
        400 => BotApiException.BadRequest("injected fault"),
        401 => new BotApiException(401, "Unauthorized"),
        403 => new BotApiException(403, "Forbidden: bot was blocked by the user"),
        404 => new BotApiException(404, "Not Found"),
        409 => new BotApiException(409, "Conflict: injected fault"),
        502 => new BotApiException(502, "Bad Gateway"),
        _ => new BotApiException(StatusCode ?? 500, "Internal Server Error"),
    };
}
