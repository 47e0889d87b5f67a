using System.Text.Json;
using Microsoft.Extensions.Options;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.Payments;

namespace FaceSwap.TelegramEmulator.Infrastructure;

/// <summary>
/// The simulated private chats: users, transcripts, callback queries, invoices and Stars charges.
/// One lock guards it all; updates are queued while holding it so message order and update order agree.
/// </summary>
public sealed class ChatStore(UpdateQueue updates, IOptions<EmulatorOptions> options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, SimChat> _chats = [];
    private readonly Dictionary<string, PendingCallback> _callbacks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingPreCheckout> _preCheckouts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Charge> _charges = new(StringComparer.Ordinal);
    private BotCommand[] _commands = [];
    private TaskCompletionSource _botActivity = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _botActivityVersion;

    /// <summary>
    /// Counts what the bot did to any chat (a message sent, edited or deleted, a chat action, a button answered), so a
    /// test waits on <see cref="WaitForBotActivityAsync"/> for the next change instead of polling the transcript.
    /// </summary>
    public long BotActivityVersion
    {
        get { lock (_gate) { return _botActivityVersion; } }
    }

    /// <summary>Returns the version once it is past <paramref name="seen"/>, or the current one after <paramref name="timeout"/>.</summary>
    public async Task<long> WaitForBotActivityAsync(long seen, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task changed;
        lock (_gate)
        {
            if (_botActivityVersion > seen)
            {
                return _botActivityVersion;
            }

            changed = _botActivity.Task;
        }

        try
        {
            await changed.WaitAsync(timeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Nothing happened: the caller looks again and decides whether to go on waiting.
        }

        return BotActivityVersion;
    }

    /// <summary>Called under the lock by everything the bot does to a chat.</summary>
    private void BotActed()
    {
        _botActivityVersion++;
        var done = _botActivity;
        _botActivity = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
    }

    public User Bot { get; } = new()
    {
        Id = long.Parse(options.Value.BotToken.Split(':')[0], System.Globalization.CultureInfo.InvariantCulture),
        IsBot = true,
        FirstName = options.Value.BotFirstName,
        Username = options.Value.BotUsername,
        CanJoinGroups = true,
        CanReadAllGroupMessages = false,
        SupportsInlineQueries = false,
        CanConnectToBusiness = false,
        HasMainWebApp = false,
    };

    // ---- simulated users ----

    public (Update Update, Message Message) AddUserMessage(long userId, string? firstName, string? languageCode, Action<Message> fill)
    {
        lock (_gate)
        {
            var chat = GetOrCreateChat(userId, firstName, languageCode);
            PrepareToWrite(chat);
            var message = NewMessage(chat, chat.User);
            fill(message);
            chat.Entries.Add(new Entry(message, fromBot: false, method: null) { At = time.GetUtcNow() });
            var update = updates.Enqueue("message", u => u.Message = message);
            return (update, message);
        }
    }

    public (Update Update, string CallbackQueryId) AddCallback(long userId, long messageId, string data)
    {
        lock (_gate)
        {
            var chat = ChatThatCanAct(userId);
            var entry = chat.Find(messageId);
            if (entry is not { FromBot: true, Deleted: false } || entry.Message.ReplyMarkup is not { } keyboard)
            {
                throw new ControlException($"Message {messageId} is not a bot message with an inline keyboard.");
            }

            if (!keyboard.InlineKeyboard.SelectMany(row => row).Any(b => b.CallbackData == data))
            {
                throw new ControlException($"Message {messageId} has no button with callback data '{data}'.");
            }

            var id = FileStore.RandomToken(19);
            _callbacks[id] = new PendingCallback(userId, messageId, data);
            var message = entry.Message;
            var update = updates.Enqueue("callback_query", u => u.CallbackQuery = new CallbackQuery
            {
                Id = id,
                From = chat.User,
                Message = message,
                ChatInstance = chat.ChatInstance,
                Data = data,
            });
            return (update, id);
        }
    }

    public (Update Update, string QueryId, Task<PreCheckoutAnswer> Answer, InvoiceDetails Invoice) StartPreCheckout(long userId, long messageId)
    {
        lock (_gate)
        {
            var chat = ChatThatCanAct(userId);
            var entry = chat.Find(messageId);
            if (entry is not { FromBot: true, Deleted: false, InvoiceDetails: { } invoice })
            {
                throw new ControlException($"Message {messageId} is not an invoice from the bot.");
            }

            var id = FileStore.RandomToken(19);
            var pending = new PendingPreCheckout(userId, new TaskCompletionSource<PreCheckoutAnswer>(TaskCreationOptions.RunContinuationsAsynchronously));
            _preCheckouts[id] = pending;
            var update = updates.Enqueue("pre_checkout_query", u => u.PreCheckoutQuery = new PreCheckoutQuery
            {
                Id = id,
                From = chat.User,
                Currency = invoice.Currency,
                TotalAmount = (int)invoice.TotalAmount,
                InvoicePayload = invoice.Payload,
            });
            return (update, id, pending.Answer.Task, invoice);
        }
    }

    /// <summary>Forgets a pre-checkout query; a late answer then fails as in Telegram.</summary>
    public void ExpirePreCheckout(string queryId)
    {
        lock (_gate)
        {
            _preCheckouts.Remove(queryId);
        }
    }

    public (Update Update, Message Message, string ChargeId) CompletePayment(long userId, InvoiceDetails invoice)
    {
        lock (_gate)
        {
            var chargeId = "stxemu" + FileStore.RandomToken(32);
            _charges[chargeId] = new Charge(userId, invoice);
            var chat = _chats[userId];
            var message = NewMessage(chat, chat.User);
            message.SuccessfulPayment = new SuccessfulPayment
            {
                Currency = invoice.Currency,
                TotalAmount = (int)invoice.TotalAmount,
                InvoicePayload = invoice.Payload,
                TelegramPaymentChargeId = chargeId,
                ProviderPaymentChargeId = string.Empty,
            };
            chat.Entries.Add(new Entry(message, fromBot: false, method: null) { At = time.GetUtcNow() });
            var update = updates.Enqueue("message", u => u.Message = message);
            return (update, message, chargeId);
        }
    }

    // ---- bot side ----

    /// <summary>
    /// A login that granted write access (the login widget's <c>request_access=write</c>): the bot may message the user
    /// before they wrote to it, as Telegram allows. A chat the user blocked stays blocked.
    /// </summary>
    public void AllowBotToWrite(long userId, string firstName)
    {
        lock (_gate)
        {
            GetOrCreateChat(userId, firstName, null);
        }
    }

    /// <summary>Throws the error Telegram answers a method aimed at this chat with, unless the bot can reach it.</summary>
    public void EnsureReachable(long chatId)
    {
        lock (_gate)
        {
            ReachableChat(chatId);
        }
    }

    public Message AddBotMessage(long chatId, string method, Action<Message> fill, JsonElement? rawMarkup = null, InvoiceDetails? invoice = null, long? replyTo = null) =>
        AddBotMessages(chatId, method, [fill], rawMarkup, invoice, replyTo)[0];

    public Message[] AddBotMessages(long chatId, string method, IReadOnlyList<Action<Message>> fills, JsonElement? rawMarkup = null, InvoiceDetails? invoice = null, long? replyTo = null)
    {
        lock (_gate)
        {
            var chat = ReachableChat(chatId);
            Message? repliedTo = null;
            if (replyTo is { } replyId)
            {
                repliedTo = chat.Find(replyId) is { Deleted: false } target
                    ? BotJson.Clone(target.Message)
                    : throw BotApiException.BadRequest("message to be replied not found");
                repliedTo.ReplyToMessage = null; // Telegram never nests replies more than one level.
            }

            var result = new Message[fills.Count];
            for (var i = 0; i < fills.Count; i++)
            {
                var message = NewMessage(chat, Bot);
                message.ReplyToMessage = repliedTo;
                fills[i](message);
                chat.Entries.Add(new Entry(message, fromBot: true, method)
                {
                    RawReplyMarkup = rawMarkup,
                    InvoiceDetails = invoice,
                    ChatActions = [.. chat.PendingActions],
                    At = time.GetUtcNow(),
                });
                chat.PendingActions.Clear();
                result[i] = message;
            }

            chat.CurrentAction = null;
            BotActed();
            return result;
        }
    }

    /// <summary>Applies an edit to a copy of a bot message and stores the copy.</summary>
    public Message EditBotMessage(long chatId, long messageId, Func<Message, bool> edit, JsonElement? rawMarkup, bool replaceMarkup)
    {
        lock (_gate)
        {
            var chat = ReachableChat(chatId);
            var entry = chat.Find(messageId);
            if (entry is null || entry.Deleted)
            {
                throw BotApiException.BadRequest("message to edit not found");
            }

            if (!entry.FromBot)
            {
                throw BotApiException.BadRequest("message can't be edited");
            }

            var copy = BotJson.Clone(entry.Message);
            var changed = edit(copy);
            if (!changed)
            {
                throw BotApiException.BadRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message");
            }

            copy.EditDate = Now();
            entry.Message = copy;
            entry.Edited = true;
            if (replaceMarkup)
            {
                entry.RawReplyMarkup = rawMarkup;
            }

            BotActed();
            return copy;
        }
    }

    public void DeleteMessage(long chatId, long messageId)
    {
        lock (_gate)
        {
            var chat = ReachableChat(chatId);
            var entry = chat.Find(messageId);
            if (entry is null || entry.Deleted)
            {
                throw BotApiException.BadRequest("message to delete not found");
            }

            entry.Deleted = true;
            BotActed();
        }
    }

    public void RecordChatAction(long chatId, string action)
    {
        lock (_gate)
        {
            var chat = ReachableChat(chatId);
            chat.PendingActions.Add(action);
            chat.CurrentAction = action;
            chat.CurrentActionAt = time.GetUtcNow();
            BotActed();
        }
    }

    public void AnswerCallback(string callbackQueryId, string? text, bool showAlert, string? url)
    {
        lock (_gate)
        {
            if (!_callbacks.Remove(callbackQueryId, out var pending))
            {
                throw BotApiException.BadRequest("query is too old and response timeout expired or query ID is invalid");
            }

            _chats[pending.UserId].CallbackAnswers.Add(
                new CallbackAnswer(callbackQueryId, pending.MessageId, pending.Data, text, showAlert, url, time.GetUtcNow()));
            BotActed();
        }
    }

    public void AnswerPreCheckout(string queryId, bool ok, string? errorMessage)
    {
        lock (_gate)
        {
            if (!_preCheckouts.Remove(queryId, out var pending))
            {
                throw BotApiException.BadRequest("query is too old and response timeout expired or query ID is invalid");
            }

            pending.Answer.TrySetResult(new PreCheckoutAnswer(ok, errorMessage));
        }
    }

    public void Refund(long userId, string chargeId)
    {
        lock (_gate)
        {
            if (!_charges.TryGetValue(chargeId, out var charge) || charge.UserId != userId)
            {
                throw BotApiException.BadRequest("CHARGE_NOT_FOUND");
            }

            if (charge.Refunded)
            {
                throw BotApiException.BadRequest("CHARGE_ALREADY_REFUNDED");
            }

            charge.Refunded = true;
            // Telegram tells the bot about the refund with a refunded_payment service message.
            var chat = _chats[userId];
            var message = NewMessage(chat, chat.User);
            message.RefundedPayment = new RefundedPayment
            {
                Currency = charge.Invoice.Currency,
                TotalAmount = (int)charge.Invoice.TotalAmount,
                InvoicePayload = charge.Invoice.Payload,
                TelegramPaymentChargeId = chargeId,
            };
            chat.Entries.Add(new Entry(message, fromBot: false, method: null) { At = time.GetUtcNow() });
            updates.Enqueue("message", u => u.Message = message);
        }
    }

    public void SetCommands(BotCommand[] commands)
    {
        lock (_gate)
        {
            _commands = commands;
        }
    }

    public BotCommand[] GetCommands()
    {
        lock (_gate)
        {
            return _commands;
        }
    }

    // ---- chat states ----

    /// <summary>
    /// The user blocks the bot. Telegram tells the bot with a my_chat_member update (the bot's status in the private
    /// chat goes from member to kicked); blocking an already blocked bot changes nothing and sends nothing.
    /// </summary>
    public UserSummary Block(long userId)
    {
        lock (_gate)
        {
            var chat = ChatThatCanAct(userId, refuseIfBlocked: false);
            if (chat.State == ChatState.Active)
            {
                SetState(chat, ChatState.Blocked);
                EnqueueMembershipChange(chat, blocked: true);
            }

            return Summary(chat);
        }
    }

    /// <summary>The user unblocks the bot: a my_chat_member update from kicked back to member.</summary>
    public UserSummary Unblock(long userId)
    {
        lock (_gate)
        {
            var chat = ChatThatCanAct(userId, refuseIfBlocked: false);
            Unblock(chat);
            return Summary(chat);
        }
    }

    /// <summary>The user deletes their account. Telegram sends the bot nothing; it learns on its next message.</summary>
    public UserSummary Deactivate(long userId)
    {
        lock (_gate)
        {
            var chat = KnownChat(userId);
            SetState(chat, ChatState.Deactivated);
            return Summary(chat);
        }
    }

    /// <summary>Telegram no longer knows the chat: the bot gets "chat not found" until the user writes again.</summary>
    public UserSummary Forget(long userId)
    {
        lock (_gate)
        {
            var chat = KnownChat(userId);
            SetState(chat, ChatState.NotFound);
            return Summary(chat);
        }
    }

    /// <summary>Not something Telegram does (a deleted account stays deleted): lets a test reuse a user id.</summary>
    public UserSummary Reactivate(long userId)
    {
        lock (_gate)
        {
            var chat = KnownChat(userId);
            if (chat.State is ChatState.Deactivated or ChatState.NotFound)
            {
                SetState(chat, ChatState.Active);
            }

            return Summary(chat);
        }
    }

    public UserSummary? FindUser(long userId)
    {
        lock (_gate)
        {
            return _chats.TryGetValue(userId, out var chat) ? Summary(chat) : null;
        }
    }

    /// <summary>The chat as the bot's methods see it: Telegram's error for a chat the bot cannot reach.</summary>
    private SimChat ReachableChat(long chatId)
    {
        var chat = _chats.GetValueOrDefault(chatId);
        if (chat is { State: not ChatState.Active })
        {
            chat.RefusedCalls++;
        }

        return chat?.State switch
        {
            ChatState.Active => chat,
            ChatState.Blocked => throw new BotApiException(403, "Forbidden: bot was blocked by the user"),
            ChatState.Deactivated => throw new BotApiException(403, "Forbidden: user is deactivated"),
            _ => throw BotApiException.ChatNotFound(),
        };
    }

    private SimChat KnownChat(long userId) =>
        _chats.GetValueOrDefault(userId) ?? throw new ControlException("The user has no chat with the bot yet.");

    /// <summary>
    /// The chat of a user who presses a button or pays. A blocked bot's chat shows only "Unblock" in Telegram's
    /// apps, so buttons and invoices cannot be used until the user unblocks; a deleted account does nothing at all.
    /// </summary>
    private SimChat ChatThatCanAct(long userId, bool refuseIfBlocked = true)
    {
        var chat = KnownChat(userId);
        if (chat.State == ChatState.Deactivated)
        {
            throw new ControlException("The user's account is deactivated; a deleted account cannot act (reactivate it first).");
        }

        if (chat.State == ChatState.Blocked && refuseIfBlocked)
        {
            throw new ControlException("The user blocked the bot; they must unblock it (or write to it) first.");
        }

        return chat;
    }

    /// <summary>
    /// A user writes. In Telegram's apps a user who blocked the bot cannot type until they press Unblock or
    /// Restart, so a message from a blocked user means the bot was unblocked first: my_chat_member, then the
    /// message. A forgotten chat becomes known again, as a new chat would.
    /// </summary>
    private void PrepareToWrite(SimChat chat)
    {
        switch (chat.State)
        {
            case ChatState.Deactivated:
                throw new ControlException("The user's account is deactivated; a deleted account cannot write (reactivate it first).");
            case ChatState.Blocked:
                Unblock(chat);
                break;
            case ChatState.NotFound:
                SetState(chat, ChatState.Active);
                break;
        }
    }

    private void Unblock(SimChat chat)
    {
        if (chat.State == ChatState.Blocked)
        {
            SetState(chat, ChatState.Active);
            EnqueueMembershipChange(chat, blocked: false);
        }
    }

    private void SetState(SimChat chat, ChatState state)
    {
        chat.State = state;
        chat.StateChangedAt = time.GetUtcNow();
    }

    private void EnqueueMembershipChange(SimChat chat, bool blocked)
    {
        ChatMember member = new ChatMemberMember { User = Bot };
        ChatMember kicked = new ChatMemberBanned { User = Bot, UntilDate = null };
        var change = new ChatMemberUpdated
        {
            Chat = new Chat { Id = chat.User.Id, Type = ChatType.Private, FirstName = chat.User.FirstName },
            From = chat.User,
            Date = Now(),
            OldChatMember = blocked ? member : kicked,
            NewChatMember = blocked ? kicked : member,
        };
        updates.Enqueue("my_chat_member", u => u.MyChatMember = change);
    }

    private static UserSummary Summary(SimChat chat) =>
        new(chat.User.Id, chat.User.FirstName, chat.Entries.Count, chat.State, chat.StateChangedAt, chat.RefusedCalls);

    // ---- control views ----

    public IReadOnlyList<TranscriptItem> GetTranscript(long userId)
    {
        lock (_gate)
        {
            if (!_chats.TryGetValue(userId, out var chat))
            {
                return [];
            }

            return [.. chat.Entries.Select(ToItem)];
        }
    }

    public IReadOnlyList<CallbackAnswer> GetCallbackAnswers(long userId)
    {
        lock (_gate)
        {
            return _chats.TryGetValue(userId, out var chat) ? [.. chat.CallbackAnswers] : [];
        }
    }

    /// <summary>The bot's current chat action; Telegram shows one for 5 s or until the next message.</summary>
    public ChatActionState GetChatAction(long userId)
    {
        lock (_gate)
        {
            if (!_chats.TryGetValue(userId, out var chat) || chat.CurrentAction is null || time.GetUtcNow() - chat.CurrentActionAt > TimeSpan.FromSeconds(5))
            {
                return new ChatActionState(null, null);
            }

            return new ChatActionState(chat.CurrentAction, chat.CurrentActionAt);
        }
    }

    public IReadOnlyList<UserSummary> ListUsers()
    {
        lock (_gate)
        {
            return [.. _chats.Values.Select(Summary)];
        }
    }

    private static TranscriptItem ToItem(Entry entry)
    {
        var m = entry.Message;
        return new TranscriptItem(
            MessageId: m.Id,
            FromBot: entry.FromBot,
            Method: entry.Method,
            Text: m.Text,
            Caption: m.Caption,
            PhotoFileId: m.Photo is { Length: > 0 } photo ? photo[^1].FileId : null,
            DocumentFileId: m.Document?.FileId,
            ReplyMarkup: entry.RawReplyMarkup ?? (m.ReplyMarkup is null ? null : BotJson.ToElement(m.ReplyMarkup)),
            Invoice: m.Invoice is null ? null : BotJson.ToElement(m.Invoice),
            Edited: entry.Edited,
            Deleted: entry.Deleted,
            ChatActions: entry.ChatActions,
            Message: BotJson.ToElement(m),
            At: entry.At);
    }

    private SimChat GetOrCreateChat(long userId, string? firstName, string? languageCode)
    {
        if (!_chats.TryGetValue(userId, out var chat))
        {
            var user = new User
            {
                Id = userId,
                IsBot = false,
                FirstName = string.IsNullOrWhiteSpace(firstName) ? $"User {userId}" : firstName,
                LanguageCode = languageCode,
            };
            chat = new SimChat(user, System.Security.Cryptography.RandomNumberGenerator.GetInt32(1, int.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture));
            _chats[userId] = chat;
        }
        else if ((firstName is not null && firstName != chat.User.FirstName) || (languageCode is not null && languageCode != chat.User.LanguageCode))
        {
            // A profile change gives a new User object; earlier messages keep the old one.
            chat.User = new User
            {
                Id = userId,
                IsBot = false,
                FirstName = firstName ?? chat.User.FirstName,
                LanguageCode = languageCode ?? chat.User.LanguageCode,
            };
        }

        return chat;
    }

    private Message NewMessage(SimChat chat, User from) => new()
    {
        Id = ++chat.LastMessageId,
        From = from,
        Date = Now(),
        Chat = new Chat { Id = chat.User.Id, Type = ChatType.Private, FirstName = chat.User.FirstName },
    };

    private DateTime Now()
    {
        var now = time.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
    }

    private sealed class SimChat(User user, string chatInstance)
    {
        public User User { get; set; } = user;
        public string ChatInstance { get; } = chatInstance;
        public int LastMessageId { get; set; }
        public List<Entry> Entries { get; } = [];
        public List<string> PendingActions { get; } = [];
        public string? CurrentAction { get; set; }
        public DateTimeOffset CurrentActionAt { get; set; }
        public List<CallbackAnswer> CallbackAnswers { get; } = [];
        public ChatState State { get; set; }
        public DateTimeOffset? StateChangedAt { get; set; }
        public long RefusedCalls { get; set; }

        public Entry? Find(long messageId) => Entries.Find(e => e.Message.Id == messageId);
    }

    private sealed class Entry(Message message, bool fromBot, string? method)
    {
        public Message Message { get; set; } = message;
        public bool FromBot { get; } = fromBot;
        public string? Method { get; } = method;
        public bool Edited { get; set; }
        public bool Deleted { get; set; }
        public JsonElement? RawReplyMarkup { get; set; }
        public InvoiceDetails? InvoiceDetails { get; init; }
        public IReadOnlyList<string> ChatActions { get; init; } = [];
        /// <summary>When the message was sent (to the millisecond, unlike Message.Date): load tests time replies with it.</summary>
        public DateTimeOffset At { get; init; }
    }

    private sealed record PendingCallback(long UserId, long MessageId, string Data);

    private sealed record PendingPreCheckout(long UserId, TaskCompletionSource<PreCheckoutAnswer> Answer);

    private sealed class Charge(long userId, InvoiceDetails invoice)
    {
        public long UserId { get; } = userId;
        public InvoiceDetails Invoice { get; } = invoice;
        public bool Refunded { get; set; }
    }
}
