using System.ComponentModel.DataAnnotations;

namespace FaceSwap.BotApi.Telegram;

public enum TelegramMode
{
    /// <summary>Telegram POSTs updates to <c>/telegram/webhook</c> (production).</summary>
    Webhook,
    /// <summary>The bot asks with getUpdates (a local run with a real token and no public URL).</summary>
    Polling,
}
