namespace FaceSwap.TelegramEmulator.Infrastructure;

/// <param name="RefusedCalls">Bot API calls refused because of the chat's state: whether a bot stops retrying shows here.</param>
public sealed record UserSummary(long UserId, string FirstName, int MessageCount, ChatState State, DateTimeOffset? StateChangedAt, long RefusedCalls);
