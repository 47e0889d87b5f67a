using System.Threading.Channels;
using FaceSwap.BotApi.Data;
using System.Data;
using System.Data.Common;
using Telegram.Bot.Types;

namespace FaceSwap.BotApi.Inbox;

/// <summary>
/// Durable intake of Telegram updates. Requests hand their update to one writer that commits them in batches
/// (group commit): each request still waits until its own update is on disk, but one fsync serves many.
/// The inbox worker's "handled" marks go through the same writer, so under load intake and handling share one
/// transaction per batch instead of taking turns at SQLite's single write lock, one fsync each.
/// Raw SQL rather than EF Core here: this is the hot path, and "insert or ignore" of a batch is one statement.
/// The SQL (ON CONFLICT DO NOTHING, quoted names, @parameters) is the same on SQLite and PostgreSQL.
/// </summary>
public sealed class UpdateInbox(IConfiguration configuration, WakeSignal<InboxWorker> signal, Operations.FaceSwapMetrics metrics, ILogger<UpdateInbox> logger) : BackgroundService
{
    private const int MaxBatch = 256;

    private readonly Channel<InboxWrite> _pending = Channel.CreateBounded<InboxWrite>(
        new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public async Task StoreAsync(Update update, string payload, CancellationToken cancellationToken)
    {
        var pending = new PendingUpdate(update.Id, ChatIdOf(update), payload, System.Diagnostics.Activity.Current?.Id);
        await _pending.Writer.WriteAsync(pending, cancellationToken);
        await pending.Stored.Task.WaitAsync(cancellationToken);
        metrics.UpdateReceived();
    }

    /// <summary>Records that an update was handled; returns once that is on disk.</summary>
    public async Task MarkHandledAsync(long updateId, int attempts, DateTimeOffset handledAt, CancellationToken cancellationToken)
    {
        var mark = new HandledMark(updateId, attempts, handledAt);
        await _pending.Writer.WriteAsync(mark, cancellationToken);
        await mark.Stored.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Records that handling an update starts, before it does: an update that kills the process is then tried a
    /// bounded number of times (<see cref="InboxOptions.MaxAttempts"/>), not forever.
    /// </summary>
    public async Task MarkAttemptAsync(long updateId, int attempts, CancellationToken cancellationToken)
    {
        var mark = new AttemptMark(updateId, attempts);
        await _pending.Writer.WriteAsync(mark, cancellationToken);
        await mark.Stored.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The chat whose order an update belongs to; updates with no chat get their sender's id.</summary>
    public static long ChatIdOf(Update update) => update switch
    {
        { Message.Chat.Id: var id } => id,
        { EditedMessage.Chat.Id: var id } => id,
        { CallbackQuery: { } query } => query.Message?.Chat.Id ?? query.From.Id,
        { PreCheckoutQuery.From.Id: var id } => id,
        { MyChatMember.Chat.Id: var id } => id,
        _ => 0,
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<InboxWrite>(MaxBatch);
        await using var connection = await DatabaseConnections.OpenAsync(configuration, stoppingToken);

        while (await _pending.Reader.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                await InsertBatchAsync(connection, batch, stoppingToken);
                foreach (var item in batch)
                {
                    item.Stored.TrySetResult();
                }

                if (batch.Exists(write => write is PendingUpdate))
                {
                    signal.Notify();
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Could not write {Count} inbox changes; new updates' senders get an error and Telegram retries", batch.Count);
                foreach (var item in batch)
                {
                    item.Stored.TrySetException(ex);
                }
            }

            batch.Clear();
        }
    }

    private static async Task InsertBatchAsync(DbConnection connection, List<InboxWrite> batch, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        await using var markCommand = connection.CreateCommand();
        markCommand.Transaction = transaction;
        markCommand.CommandText = $"""
            UPDATE inbox_updates SET "Status" = {(int)InboxStatus.Handled}, "HandledAt" = @handledAt, "Attempts" = @attempts WHERE "UpdateId" = @id
            """;
        var markId = Parameter(markCommand, "@id", DbType.Int64);
        await using var attemptCommand = connection.CreateCommand();
        attemptCommand.Transaction = transaction;
        attemptCommand.CommandText = $"""
            UPDATE inbox_updates SET "Attempts" = @attempts WHERE "UpdateId" = @id AND "Status" = {(int)InboxStatus.Pending}
            """;
        var attemptId = Parameter(attemptCommand, "@id", DbType.Int64);
        var attemptCount = Parameter(attemptCommand, "@attempts", DbType.Int32);
        var handledAt = Parameter(markCommand, "@handledAt", DbType.Int64);
        var attempts = Parameter(markCommand, "@attempts", DbType.Int32);
        command.CommandText = """
            INSERT INTO inbox_updates ("UpdateId", "ChatId", "Payload", "ReceivedAt", "Status", "Attempts", "NextAttemptAt", "TraceParent")
            VALUES (@id, @chat, @payload, @now, 0, 0, @now, @trace)
            ON CONFLICT("UpdateId") DO NOTHING
            """;
        var id = Parameter(command, "@id", DbType.Int64);
        var chat = Parameter(command, "@chat", DbType.Int64);
        var payload = Parameter(command, "@payload", DbType.String);
        var trace = Parameter(command, "@trace", DbType.String);
        Parameter(command, "@now", DbType.Int64).Value = DateTimeOffset.UtcNow.UtcTicks;
        foreach (var write in batch)
        {
            switch (write)
            {
                case PendingUpdate item:
                    id.Value = item.UpdateId;
                    chat.Value = item.ChatId;
                    payload.Value = item.Payload;
                    trace.Value = (object?)item.TraceParent ?? DBNull.Value;
                    await command.ExecuteNonQueryAsync(cancellationToken);
                    break;
                case AttemptMark attempt:
                    attemptId.Value = attempt.UpdateId;
                    attemptCount.Value = attempt.Attempts;
                    await attemptCommand.ExecuteNonQueryAsync(cancellationToken);
                    break;
                case HandledMark mark:
                    markId.Value = mark.UpdateId;
                    handledAt.Value = mark.HandledAt.UtcTicks;
                    attempts.Value = mark.Attempts;
                    await markCommand.ExecuteNonQueryAsync(cancellationToken);
                    break;
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>A parameter by name (<c>@name</c>: both Microsoft.Data.Sqlite and Npgsql accept it).</summary>
    private static DbParameter Parameter(DbCommand command, string name, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        command.Parameters.Add(parameter);
        return parameter;
    }

    private abstract record InboxWrite
    {
        public TaskCompletionSource Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed record PendingUpdate(long UpdateId, long ChatId, string Payload, string? TraceParent) : InboxWrite;

    private sealed record HandledMark(long UpdateId, int Attempts, DateTimeOffset HandledAt) : InboxWrite;

    private sealed record AttemptMark(long UpdateId, int Attempts) : InboxWrite;
}
