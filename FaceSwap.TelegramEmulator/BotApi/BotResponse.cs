using System.Buffers;
using System.Text.Json;
using FaceSwap.TelegramEmulator.Infrastructure;

namespace FaceSwap.TelegramEmulator.BotApi;

/// <summary>
/// The Bot API envelope: <c>{"ok":true,"result":...}</c> or <c>{"ok":false,"error_code":...,"description":...}</c>.
/// Written by hand because the result must go through Telegram.Bot's serializer options with its runtime type.
/// </summary>
public sealed class BotResponse : IResult
{
    private readonly object? _result;
    private readonly BotApiException? _error;

    private BotResponse(object? result, BotApiException? error)
    {
        _result = result;
        _error = error;
    }

    public int StatusCode => _error?.ErrorCode ?? StatusCodes.Status200OK;

    public static BotResponse Ok(object result) => new(result, null);

    public static BotResponse Error(BotApiException error) => new(null, error);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCode;
        httpContext.Response.ContentType = "application/json";
        if (_error?.RetryAfter is { } retry)
        {
            httpContext.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        // Serialised into a buffer first: Kestrel forbids the synchronous writes JsonSerializer.Serialize would do.
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer);
        }

        await httpContext.Response.Body.WriteAsync(buffer.WrittenMemory, httpContext.RequestAborted).ConfigureAwait(false);
    }

    private void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        if (_error is null)
        {
            writer.WriteBoolean("ok", true);
            writer.WritePropertyName("result");
            JsonSerializer.Serialize(writer, _result, _result?.GetType() ?? typeof(object), BotJson.Options);
        }
        else
        {
            writer.WriteBoolean("ok", false);
            writer.WriteNumber("error_code", _error.ErrorCode);
            writer.WriteString("description", _error.Description);
            if (_error.RetryAfter is { } retryAfter)
            {
                writer.WriteStartObject("parameters");
                writer.WriteNumber("retry_after", retryAfter);
                writer.WriteEndObject();
            }
        }

        writer.WriteEndObject();
    }
}
