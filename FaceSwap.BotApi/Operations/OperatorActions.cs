using FaceSwap.BotApi.Operations.Backups;
using FaceSwap.BotApi.Telegram;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;

namespace FaceSwap.BotApi.Operations;

public sealed record WebhookRegistered(string Url);

/// <summary>
/// The operator's one-shot actions under <c>/ops</c> (the AppHost's dashboard commands call them): back up now, replay
/// the dead letters, register the webhook again. Each runs the service that does the same on its own schedule.
/// </summary>
public static class OperatorActions
{
    public static RouteGroupBuilder MapOperatorActions(this RouteGroupBuilder group)
    {
        group.MapPost("/backups", BackUpAsync);
        group.MapPost("/dead-letters/replay", ReplayDeadLettersAsync);
        group.MapPost("/webhook", RegisterWebhookAsync);
        return group;
    }

    public static async Task<Results<Ok<BackupTaken>, ProblemHttpResult>> BackUpAsync([FromServices] BackupTaker? backups,
        ILogger<BackupTaker> logger, CancellationToken cancellationToken)
    {
        // Only SQLite's file is backed up by the bot API; a PostgreSQL server keeps its own (OperationsExtensions).
        if (backups is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Backups are the database server's",
                detail: "Database:Provider is postgres: the server takes the backups (Azure Database for PostgreSQL keeps point-in-time restore); see docs/operations/backup-restore.md.");
        }

        try
        {
            var taken = await backups.TakeAsync(cancellationToken);
            logger.LogInformation("Backup {Snapshot} ({Bytes} bytes) taken on an operator's request", taken.FileName, taken.SizeBytes);
            return TypedResults.Ok(taken);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            logger.LogError(ex, "Backup on an operator's request failed");
            return TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Backup failed", detail: ex.Message);
        }
    }

    public static async Task<Ok<DeadLettersReplayed>> ReplayDeadLettersAsync(DeadLetterReplay replay, ILogger<DeadLetterReplay> logger,
        CancellationToken cancellationToken)
    {
        var replayed = await replay.ReplayAsync(cancellationToken);
        logger.LogWarning("Operator replayed {Updates} given-up updates; {Jobs} job and {Results} result dead letters stay (already refunded)",
            replayed.UpdatesReplayed, replayed.JobDeadLetters, replayed.ResultDeadLetters);
        return TypedResults.Ok(replayed);
    }

    public static async Task<Results<Ok<WebhookRegistered>, ProblemHttpResult>> RegisterWebhookAsync(ITelegramBotClient bot,
        IOptions<TelegramOptions> options, ILogger<WebhookRegistered> logger, CancellationToken cancellationToken)
    {
        var telegram = options.Value;
        if (telegram.Mode != TelegramMode.Webhook || TelegramConnection.WebhookUrlOf(telegram) is not { } url)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "No webhook in this mode",
                detail: $"Telegram:Mode is {telegram.Mode} (PublicUrl {(telegram.PublicUrl is null ? "not set" : "set")}); a webhook needs Mode=Webhook and a PublicUrl.");
        }

        try
        {
            await TelegramConnection.RegisterWebhookAsync(bot, telegram, url, cancellationToken);
            logger.LogInformation("Webhook registered at {WebhookUrl} on an operator's request", url);
            return TypedResults.Ok(new WebhookRegistered(url));
        }
        catch (Exception ex) when (ex is RequestException or HttpRequestException)
        {
            logger.LogError(ex, "Registering the webhook at {WebhookUrl} failed", url);
            return TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Telegram refused the webhook", detail: ex.Message);
        }
    }
}
