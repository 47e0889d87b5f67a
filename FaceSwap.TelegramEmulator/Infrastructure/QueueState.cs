namespace FaceSwap.TelegramEmulator.Infrastructure;

public sealed record QueueState(string? WebhookUrl, int PendingUpdates, long DeliveredUpdates, string? LastError, DateTimeOffset? LastErrorDate, int WaitingPolls);
