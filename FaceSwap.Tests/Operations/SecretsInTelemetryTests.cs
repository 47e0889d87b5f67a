using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Trace;
using FaceSwap.Tests.Support;

namespace FaceSwap.Tests.Operations;

/// <summary>
/// Runs the bot API with known secret values through a real conversation and scans everything it logged (messages,
/// exceptions, structured state, scopes) and every span it would export (names, tags, events) for them.
/// </summary>
public sealed class SecretsInTelemetryTests
{
    private const string TokenSecret = Emulator.EmulatorHost.Token;
    private const string StripeSecretKey = "sk_test_51SecretKeyNeverLoggedAbc123";
    private const string StripeWebhookSecret = "whsec_NeverLoggedWebhookSecret456";
    private const string MediaSigningKey = "media-signing-key-never-logged-0123456789";

    [Fact]
    public async Task No_secret_reaches_logs_or_traces()
    {
        var logs = new CapturingLoggerProvider();
        var spans = new CapturingProcessor();
        await using var host = await BotApiHost.StartAsync(
            settings: new Dictionary<string, string?>
            {
                ["Stripe:SecretKey"] = StripeSecretKey,
                ["Stripe:WebhookSecret"] = StripeWebhookSecret,
                ["Media:SigningKey"] = MediaSigningKey,
            },
            logs: logs,
            services: services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(spans)));

        const long userId = 880011;
        await host.Emulator.UserSaysAsync(userId, "/start", "Alice");
        await Emulator.EmulatorHost.WaitUntilAsync(async () =>
            (await host.Emulator.TranscriptAsync(userId)).Any(m => m.GetProperty("fromBot").GetBoolean()), TimeSpan.FromSeconds(30), "the bot answers /start");
        await host.Emulator.UserSaysAsync(userId, "/balance");
        await Emulator.EmulatorHost.WaitUntilAsync(async () =>
            (await host.Emulator.TranscriptAsync(userId)).Count(m => m.GetProperty("fromBot").GetBoolean()) >= 2, TimeSpan.FromSeconds(30), "the bot answers /balance");
        // A wrong webhook secret and an operator call: both carry secrets in headers.
        var forged = new HttpRequestMessage(HttpMethod.Post, "/telegram/webhook") { Content = new StringContent("{}") };
        forged.Headers.Add("X-Telegram-Bot-Api-Secret-Token", "wrong-" + BotApiHost.WebhookSecret);
        await host.Http.SendAsync(forged);
        await host.Http.SendAsync(host.WithOpsKey(HttpMethod.Get, "/health/details"));
        await host.DisposeAsync();

        var texts = logs.Texts.Concat(spans.Texts).ToList();
        Assert.NotEmpty(logs.Texts);
        // The scan means something only if Telegram calls were traced: their URLs are there, with the token cut out.
        Assert.Contains(spans.Texts, text => text.Contains("/botREDACTED/sendMessage", StringComparison.Ordinal));
        // Named by the Bot API method, not the verb every call shares.
        Assert.Contains(spans.Texts, text => text.StartsWith("telegram sendMessage ", StringComparison.Ordinal));
        foreach (var secret in new[] { TokenSecret, TokenSecret.Split(':')[1], BotApiHost.WebhookSecret, BotApiHost.OpsKey, StripeSecretKey, StripeWebhookSecret, MediaSigningKey })
        {
            var leak = texts.FirstOrDefault(text => text.Contains(secret, StringComparison.Ordinal));
            Assert.True(leak is null, $"A secret appeared in telemetry: {leak}");
        }
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Texts { get; } = new();

        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, Texts);

        public void Dispose()
        {
        }

        private sealed class CapturingLogger(string category, ConcurrentQueue<string> texts) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull
            {
                texts.Enqueue($"{category} scope: {Describe(state)}");
                return null;
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                texts.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {Describe(state)} {exception}");

            private static string Describe(object? state) => state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : state?.ToString() ?? "";
        }
    }

    private sealed class CapturingProcessor : BaseProcessor<Activity>
    {
        public ConcurrentQueue<string> Texts { get; } = new();

        public override void OnEnd(Activity data) => Texts.Enqueue(string.Join(" ", new[] { data.DisplayName, data.StatusDescription ?? "" }
            .Concat(data.TagObjects.Select(t => $"{t.Key}={t.Value}"))
            .Concat(data.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}")))
            .Concat(data.Baggage.Select(b => $"{b.Key}={b.Value}"))));
    }
}
