namespace FaceSwap.TelegramEmulator.Infrastructure;

public sealed record WebhookSettings(string Url, string? SecretToken, int MaxConnections, string[] AllowedUpdates);
