using System.Text.Json.Serialization;

namespace FaceSwap.TelegramEmulator.Control;

public sealed record UserTextRequest(string Text, string? FirstName = null, string? LanguageCode = null);

public sealed record CallbackRequest(long MessageId, string Data);

public sealed record PayRequest(long MessageId);

public sealed record FaultRequest(string? Method, int? StatusCode, int Count = 1, int? RetryAfter = null, long? ChatId = null, int? DelayMs = null, bool Lost = false);

public sealed record UserMessageSent(long UpdateId, long MessageId);

public sealed record UserFileSent(long UpdateId, long MessageId, string FileId);

public sealed record AlbumSent(IReadOnlyList<long> UpdateIds, IReadOnlyList<long> MessageIds);

public sealed record CallbackSent(long UpdateId, string CallbackQueryId);

public sealed record PayResult(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ChargeId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ErrorMessage = null);

public sealed record EmulatorStateView(string? WebhookUrl, int PendingUpdates, long DeliveredUpdates, string? LastError, DateTimeOffset? LastErrorDate, int WaitingPolls);

public sealed record BotView(long Id, string Username, string FirstName);
