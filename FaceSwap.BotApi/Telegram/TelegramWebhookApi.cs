using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FaceSwap.BotApi.Inbox;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace FaceSwap.BotApi.Telegram;

public static class TelegramWebhookApi
{
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    /// <summary>Telegram's updates are small; a photo is a file id, not bytes.</summary>
    public const long MaxUpdateBytes = 1024 * 1024;

    public static RouteGroupBuilder MapTelegramWebhookApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/telegram").WithTags("Telegram");
        group.MapPost("/webhook", ReceiveUpdateAsync)
            .WithMetadata(new RequestSizeLimitAttribute(MaxUpdateBytes))
            .AddEndpointFilter<Operations.IntakePausedFilter>().RequireRateLimiting(Operations.OperationsExtensions.WebhookRateLimit)
            .DisableAntiforgery();
        return group;
    }

    /// <summary>
    /// Stores the update durably before answering 200, so Telegram redelivers anything not stored.
    /// A duplicate update_id is acknowledged and ignored.
    /// </summary>
    public static async Task<Results<Ok, ProblemHttpResult>> ReceiveUpdateAsync(
        HttpRequest request, UpdateInbox inbox, IOptions<TelegramOptions> options, CancellationToken cancellationToken)
    {
        if (!SecretMatches(request.Headers[SecretHeader].ToString(), options.Value.WebhookSecret))
        {
            // An explicit 403, not Forbid(): with no authentication scheme Forbid() throws and becomes a 500.
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Wrong webhook secret",
                detail: $"The {SecretHeader} header does not match Telegram:WebhookSecret.");
        }

        Update? update;
        string payload;
        try
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            payload = await reader.ReadToEndAsync(cancellationToken);
            update = JsonSerializer.Deserialize<Update>(payload, JsonBotAPI.Options);
        }
        catch (JsonException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a Telegram update", detail: ex.Message);
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel stops reading past the size limit (413) or on a broken body; say so instead of a 500.
            return TypedResults.Problem(statusCode: ex.StatusCode, title: "Unreadable update",
                detail: $"Updates are at most {MaxUpdateBytes} bytes of JSON. {ex.Message}");
        }

        if (update is null || update.Id <= 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a Telegram update",
                detail: "The body must be a JSON Update with a positive update_id.");
        }

        try
        {
            await inbox.StoreAsync(update, payload, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Non-2xx makes Telegram deliver the update again later: nothing is lost.
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Update not stored",
                detail: "The update could not be stored; Telegram will deliver it again.");
        }

        return TypedResults.Ok();
    }

    internal static bool SecretMatches(string presented, string? expected)
    {
        if (string.IsNullOrEmpty(expected))
        {
            return false;
        }

        // Constant time, so response timing reveals nothing about the secret.
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
    }
}
