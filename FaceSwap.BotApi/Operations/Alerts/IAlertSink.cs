using FaceSwap.BotApi.Telegram;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Operations.Alerts;

/// <summary>Where alerts go; Telegram in production, a list in tests.</summary>
public interface IAlertSink
{
    Task SendAsync(string text, CancellationToken cancellationToken);
}
