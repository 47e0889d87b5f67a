using FaceSwap.BotApi.Telegram;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Operations.Alerts;

/// <summary>Posts to <c>Ops:AlertChatId</c> through the bot itself.</summary>
public sealed class TelegramAlertSink(IServiceScopeFactory scopeFactory, IOptions<OpsOptions> options) : IAlertSink
{
    public async Task SendAsync(string text, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BotMessenger>().SendTextAsync(options.Value.AlertChatId!.Value, text, cancellationToken: cancellationToken);
    }
}
