using System.Security.Cryptography;
using System.Text;
using FaceSwap.TelegramEmulator.Infrastructure;
using Microsoft.Extensions.Options;

namespace FaceSwap.TelegramEmulator.BotApi;

public static class BotApi
{
    /// <summary>The Bot API: <c>/bot{token}/{method}</c>, by GET or POST in any encoding, method names case-insensitive.</summary>
    public static RouteGroupBuilder MapBotApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/bot{token}").WithTags("Bot API");
        api.MapMethods("/{method}", [HttpMethods.Get, HttpMethods.Post], HandleAsync);
        // Telegram answers 404 for /bot<token>/ with no method.
        api.MapMethods("/", [HttpMethods.Get, HttpMethods.Post], () => BotResponse.Error(new BotApiException(404, "Not Found")));
        return api;
    }

    /// <summary>File downloads: <c>/file/bot{token}/{file_path}</c>, as getFile's file_path promises.</summary>
    public static RouteGroupBuilder MapFileDownloadApi(this IEndpointRouteBuilder app)
    {
        var files = app.MapGroup("/file/bot{token}").WithTags("Bot API files");
        files.MapGet("/{**filePath}", DownloadFile);
        return files;
    }

    private static async Task<IResult> HandleAsync(
        string token,
        string method,
        HttpContext context,
        BotMethods methods,
        FaultInjector faults,
        TimeProvider time,
        IOptions<EmulatorOptions> options,
        ILoggerFactory loggerFactory)
    {
        try
        {
            if (!IsValidToken(token, options.Value))
            {
                throw new BotApiException(401, "Unauthorized");
            }

            var handler = methods.Find(method) ?? throw new BotApiException(404, "Not Found");
            var parameters = await BotParameters.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
            var takenAt = time.GetUtcNow();
            var fault = faults.Take(method, parameters.GetString("chat_id"));
            // Counted from when the call took the fault, so a clock that moves on meanwhile is not waited for twice.
            if (fault?.DelayMs is { } delay && takenAt + TimeSpan.FromMilliseconds(delay) - time.GetUtcNow() is { Ticks: > 0 } remaining)
            {
                await Task.Delay(remaining, time, context.RequestAborted).ConfigureAwait(false);
            }

            if (fault?.StatusCode is not null)
            {
                throw fault.ToException();
            }

            var result = await handler(parameters, context.RequestAborted).ConfigureAwait(false);
            if (fault?.Lost == true)
            {
                // The method took effect but the connection drops before the answer: the client cannot tell
                // whether its message went out, which is how a lost answer looks from Telegram's side.
                context.Abort();
                return Results.Empty;
            }

            return BotResponse.Ok(result);
        }
        catch (BotApiException error)
        {
            return BotResponse.Error(error);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or System.Text.Json.JsonException)
        {
            loggerFactory.CreateLogger(typeof(BotApi)).LogInformation(ex, "Unreadable Bot API request for {Method}", method);
            return BotResponse.Error(BotApiException.BadRequest("can't parse request"));
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            // An emulator bug must still answer in the Bot API's shape, so clients report it sensibly.
            loggerFactory.CreateLogger(typeof(BotApi)).LogError(ex, "Bot API method {Method} failed", method);
            return BotResponse.Error(new BotApiException(500, "Internal Server Error"));
        }
    }

    private static IResult DownloadFile(string token, string filePath, FileStore files, IOptions<EmulatorOptions> options)
    {
        if (!IsValidToken(token, options.Value))
        {
            return BotResponse.Error(new BotApiException(401, "Unauthorized"));
        }

        var file = files.FindByPath(filePath);
        return file is null
            ? BotResponse.Error(new BotApiException(404, "Not Found"))
            : TypedResults.File(file.Bytes, file.MimeType, file.FileName ?? Path.GetFileName(file.FilePath));
    }

    private static bool IsValidToken(string token, EmulatorOptions options) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(options.BotToken));
}
