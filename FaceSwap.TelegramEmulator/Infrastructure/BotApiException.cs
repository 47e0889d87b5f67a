namespace FaceSwap.TelegramEmulator.Infrastructure;

/// <summary>An error the emulated Bot API answers with, in Telegram's own wording.</summary>
public sealed class BotApiException(int errorCode, string description, int? retryAfter = null) : Exception(description)
{
    public int ErrorCode { get; } = errorCode;
    public string Description { get; } = description;
    public int? RetryAfter { get; } = retryAfter;

    public static BotApiException BadRequest(string detail) => new(400, "Bad Request: " + detail);
    public static BotApiException ChatNotFound() => BadRequest("chat not found");
    public static BotApiException Empty(string parameter) => BadRequest($"{parameter} is empty");
}
