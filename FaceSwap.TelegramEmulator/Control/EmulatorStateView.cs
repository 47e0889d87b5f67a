namespace FaceSwap.TelegramEmulator.Control;

public sealed record EmulatorStateView(string? WebhookUrl, int PendingUpdates, long DeliveredUpdates, string? LastError, DateTimeOffset? LastErrorDate, int WaitingPolls);
