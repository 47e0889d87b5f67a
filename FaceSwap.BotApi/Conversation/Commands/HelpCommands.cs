using FaceSwap.BotApi.Telegram;

namespace FaceSwap.BotApi.Conversation.Commands;

/// <summary>/help and /paysupport: fixed texts.</summary>
public sealed class HelpCommands(BotMessenger messenger)
{
    public Task HelpAsync(CommandRequest request, CancellationToken cancellationToken) => SendAsync(request, "Help", cancellationToken);

    public Task PaySupportAsync(CommandRequest request, CancellationToken cancellationToken) => SendAsync(request, "PaySupport", cancellationToken);

    private Task SendAsync(CommandRequest request, string text, CancellationToken cancellationToken) =>
        messenger.SendTextAsync(request.User.ChatId, request.Texts[text], cancellationToken: cancellationToken);
}
