namespace FaceSwap.TelegramEmulator.BotApi;

public delegate Task<object> BotMethod(BotParameters parameters, CancellationToken cancellationToken);
