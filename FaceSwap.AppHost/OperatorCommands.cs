using System.Net.Http.Json;
using System.Text.Json;

/// <summary>
/// The dashboard as an operations console: commands on the bot API and processor resources that call their
/// <c>/ops</c> endpoints over HTTP with the operator key, and show the endpoint's answer (or its ProblemDetails).
/// </summary>
internal static class OperatorCommands
{
    public static IResourceBuilder<ProjectResource> WithBotApiCommands(this IResourceBuilder<ProjectResource> botApi, FaceSwapSecrets secrets) => botApi
        .WithOpsCommand("backup-now", "Back up now", "/ops/backups", secrets, "DatabaseArrowDown",
            body => $"Backup {Text(body, "fileName")}: {Number(body, "sizeBytes")} bytes, verified {Text(body, "verified")}")
        .WithOpsCommand("replay-dead-letters", "Replay dead letters", "/ops/dead-letters/replay", secrets, "ArrowRepeatAll",
            body => $"{Number(body, "updatesReplayed")} given-up updates replayed; {Number(body, "jobDeadLetters")} job and " +
                $"{Number(body, "resultDeadLetters")} result dead letters kept (already refunded)",
            "Hand every given-up update to the inbox again?")
        .WithOpsCommand("pause-intake", "Pause intake", "/ops/intake/pause", secrets, "Pause",
            _ => "Intake paused: the webhook answers 503 and Telegram keeps the updates",
            "Pause intake? Telegram holds updates (up to 24 h) until intake is resumed.")
        .WithOpsCommand("resume-intake", "Resume intake", "/ops/intake/resume", secrets, "Play", _ => "Intake resumed")
        .WithOpsCommand("register-webhook", "Register webhook", "/ops/webhook", secrets, "PlugConnected",
            body => $"Webhook registered at {Text(body, "url")}");

    public static IResourceBuilder<ProjectResource> WithProcessorCommands(this IResourceBuilder<ProjectResource> processor, FaceSwapSecrets secrets) => processor
        .WithOpsCommand("drain", "Drain", "/ops/drain", secrets, "ArrowExportLtr",
            body => Text(body, "drained") == "True"
                ? $"Drained: taking no jobs; {Number(body, "completed")} swaps done"
                : $"Draining: {Number(body, "inHand")} jobs still in hand; run Drain again to wait for them",
            "Drain the processor? It stops taking jobs and finishes the ones in hand.")
        .WithOpsCommand("resume", "Resume", "/ops/resume", secrets, "Play", _ => "Taking jobs again");

    private static IResourceBuilder<ProjectResource> WithOpsCommand(this IResourceBuilder<ProjectResource> resource, string name, string displayName,
        string path, FaceSwapSecrets secrets, string icon, Func<JsonElement, string> describe, string? confirmation = null)
    {
        var endpoint = resource.GetEndpoint("http");
        return resource.WithCommand(name, displayName, async context =>
        {
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri(endpoint.Url), Timeout = TimeSpan.FromSeconds(60) };
                using var request = new HttpRequestMessage(HttpMethod.Post, path);
                if (secrets.OpsApiKey is { } key && await key.Resource.GetValueAsync(context.CancellationToken) is { Length: > 0 } value)
                {
                    request.Headers.Add("X-Ops-Key", value);
                }

                using var response = await http.SendAsync(request, context.CancellationToken);
                var body = await response.Content.ReadFromJsonAsync<JsonElement>(context.CancellationToken);
                return response.IsSuccessStatusCode
                    ? CommandResults.Success(describe(body))
                    : CommandResults.Failure($"{(int)response.StatusCode} {Text(body, "title")}: {Text(body, "detail")}");
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !context.CancellationToken.IsCancellationRequested)
            {
                return CommandResults.Failure($"{displayName} could not reach {endpoint.Url}{path}: {ex.Message}");
            }
        }, new CommandOptions
        {
            IconName = icon,
            IconVariant = IconVariant.Regular,
            ConfirmationMessage = confirmation,
            // Only a running resource has an endpoint to call.
            UpdateState = state => state.ResourceSnapshot.State?.Text == KnownResourceStates.Running ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
        });
    }

    private static string Text(JsonElement body, string property) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(property, out var value)
            ? value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean().ToString() : value.ToString()
            : "";

    private static string Number(JsonElement body, string property) => Text(body, property) is { Length: > 0 } text ? text : "?";
}
