using Telegram.Bot.Types;

namespace FaceSwap.TelegramEmulator.Infrastructure;

public sealed record WebhookDelivery(Update Update, string Url, string? SecretToken, int Attempt);
