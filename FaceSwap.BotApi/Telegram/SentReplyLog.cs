using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Inbox;
using Microsoft.EntityFrameworkCore;
using Telegram.Bot.Types;

namespace FaceSwap.BotApi.Telegram;

/// <summary>
/// Makes the messages of a stored update's handling go out once, however often the update is handled. The inbox
/// worker marks an update handled only after its handler returns, so a replica killed in between leaves it pending and
/// the next holder of the chat handles it again. Each send of a handling is numbered per chat in order (0, 1, 2, ...);
/// the nth send to a chat is taken to be the nth send of the earlier attempt, whatever its text (a replayed /start says
/// "welcome back" where the first attempt said "welcome": the user must not get both), and is skipped if recorded.
/// Numbering per chat, not per handling, keeps the user's messages lined up when a step with a key of its own skips a
/// message to another chat on the replay (a report is told to the operators' chat once, see ModerationLog).
/// <para>
/// What is left: the record is committed just after Telegram accepts the send, so a kill in those milliseconds (or
/// Telegram's answer lost on the way back) still sends that one message again; before, the window was the whole
/// handling of the update. Outside the inbox worker (<see cref="CurrentUpdate.UpdateId"/> null: results delivery,
/// Stripe's webhook, operator alerts) nothing is recorded: those sends have keys of their own.
/// </para>
/// </summary>
public sealed class SentReplyLog(CurrentUpdate currentUpdate, IServiceScopeFactory scopeFactory, TimeProvider time) : IAsyncDisposable
{
    private readonly Dictionary<long, int> _sentPerChat = [];

    // A context of its own: recording a send must neither save the caller's unsaved changes nor join its transaction.
    private AsyncServiceScope? _scope;

    /// <summary>The next send to <paramref name="chatId"/> of this handling; null outside the inbox worker.</summary>
    public async Task<SendSlot?> NextAsync(long chatId, CancellationToken cancellationToken)
    {
        if (currentUpdate.UpdateId is not { } updateId)
        {
            return null;
        }

        var sequence = _sentPerChat.GetValueOrDefault(chatId);
        _sentPerChat[chatId] = sequence + 1;
        var earlier = await Database().SentReplies.AsNoTracking()
            .Where(r => r.UpdateId == updateId && r.ChatId == chatId && r.Sequence == sequence)
            .Select(r => new { r.MessageId, r.SentAt })
            .FirstOrDefaultAsync(cancellationToken);
        var sent = earlier is null ? null : new Message { Id = earlier.MessageId, Chat = new Chat { Id = chatId }, Date = earlier.SentAt.UtcDateTime };
        return new SendSlot(new SentReply { UpdateId = updateId, ChatId = chatId, Sequence = sequence }, sent);
    }

    /// <summary>Records what Telegram accepted, so that handling the update again does not send it again.</summary>
    public async Task RecordAsync(SendSlot slot, Message sent)
    {
        slot.Record.MessageId = sent.Id;
        slot.Record.SentAt = time.GetUtcNow();
        var db = Database();
        db.SentReplies.Add(slot.Record);
        try
        {
            // Not cancelled with the handling: the message is out, and only this row keeps it from going out again.
            await db.SaveChangesAsync(CancellationToken.None);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    private FaceSwapDbContext Database()
    {
        _scope ??= scopeFactory.CreateAsyncScope();
        return _scope.Value.ServiceProvider.GetRequiredService<FaceSwapDbContext>();
    }

    public ValueTask DisposeAsync() => _scope?.DisposeAsync() ?? ValueTask.CompletedTask;
}
