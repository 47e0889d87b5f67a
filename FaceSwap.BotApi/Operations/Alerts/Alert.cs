using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FaceSwap.BotApi.Operations.Alerts;

public sealed record Alert(string Check, HealthStatus Status, bool Recovered, string Text);
