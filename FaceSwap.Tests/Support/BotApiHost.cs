using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using FaceSwap.BotApi;
using FaceSwap.BotApi.Data;
using FaceSwap.Tests.Emulator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FaceSwap.Tests.Support;

/// <summary>
/// One bot API for one test: its own temp SQLite file, its own redis-server, and its own Telegram emulator whose
/// webhook delivers to the bot API on a real Kestrel port (as Telegram does). Extra settings override the defaults,
/// e.g. <c>["Payments:AdminUserIds:0"] = "42"</c> or Stripe keys. Dispose to stop all three and delete the files.
/// </summary>
public sealed class BotApiHost : IAsyncDisposable
{
    public const string WebhookSecret = "test-webhook-secret";

    /// <summary>The operator key (<c>Ops:ApiKey</c>) for <c>/health/details</c> and <c>/ops/*</c>.</summary>
    public const string OpsKey = "ops-key-5f0c2d9e8a7b6c41";

    private readonly WebApplicationFactory<BotApiAssembly> _factory;
    private readonly string _directory;

    private BotApiHost(WebApplicationFactory<BotApiAssembly> factory, Uri baseAddress, EmulatorHost emulator, RedisServer redis, string directory)
    {
        _factory = factory;
        _directory = directory;
        BaseAddress = baseAddress;
        Emulator = emulator;
        Redis = redis;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The bot API's real address (http://127.0.0.1:port).</summary>
    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public EmulatorHost Emulator { get; }

    public RedisServer Redis { get; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>The temp folder holding the database and the backups.</summary>
    public string Directory => _directory;

    public string DatabasePath => Path.Combine(_directory, "faceswap.db");

    /// <param name="logs">Receives every log of the bot API (e.g. to scan them for secrets).</param>
    /// <param name="services">Replaces services after the app's own registrations (e.g. a fake clock).</param>
    public static async Task<BotApiHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, string environment = "Production",
        ILoggerProvider? logs = null, Action<IServiceCollection>? services = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "faceswap-botapi-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(directory);
        var redis = await RedisServer.StartAsync();
        var emulator = EmulatorHost.Start();
        var baseAddress = new Uri($"http://127.0.0.1:{RedisServer.FreePort()}");
        var defaults = new Dictionary<string, string?>
        {
            ["ConnectionStrings:faceswapdb"] = $"Data Source={Path.Combine(directory, "faceswap.db")}",
            ["ConnectionStrings:redis"] = redis.ConnectionString,
            ["Telegram:BotToken"] = EmulatorHost.Token,
            ["Telegram:ApiBaseUrl"] = emulator.BaseAddress.ToString(),
            ["Telegram:Mode"] = "webhook",
            ["Telegram:WebhookSecret"] = WebhookSecret,
            // The bot API registers its own webhook here at start, as in production.
            ["Telegram:PublicUrl"] = baseAddress.ToString(),
            // "Sign in with Telegram" on the web app goes to the emulator's stand-in of Telegram's login page.
            ["Web:LoginUrl"] = new Uri(emulator.BaseAddress, "/login").ToString(),
            ["Backups:Directory"] = Path.Combine(directory, "backups"),
            ["Ops:ApiKey"] = OpsKey,
            ["Status:ReportCacheDuration"] = "00:00:00",
            ["Telegram:PerChatBurst"] = TestPacing.PerChatBurst,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            defaults[key] = value;
        }

        var factory = new WebApplicationFactory<BotApiAssembly>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment(environment);
            builder.UseUrls(baseAddress.ToString());
            foreach (var (key, value) in defaults)
            {
                builder.UseSetting(key, value);
            }

            if (logs is not null)
            {
                builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
            }

            if (services is not null)
            {
                builder.ConfigureTestServices(services);
            }
        });
        factory.UseKestrel();
        try
        {
            factory.StartServer();
        }
        catch
        {
            // A start that fails (tests of bad settings) must not leave redis-server and the emulator running.
            await factory.DisposeAsync();
            await emulator.DisposeAsync();
            await redis.DisposeAsync();
            throw;
        }

        var host = new BotApiHost(factory, baseAddress, emulator, redis, directory);

        await EmulatorHost.WaitUntilAsync(async () => (await host.Http.GetAsync("/health")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30), "the bot API to be healthy");
        return host;
    }

    /// <summary>A fresh DbContext on the bot API's database (dispose the scope with it).</summary>
    public async Task<T> WithDatabaseAsync<T>(Func<FaceSwapDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<FaceSwapDbContext>());
    }

    /// <summary>Resolves a scoped service in a fresh scope, e.g. the credit ledger.</summary>
    public async Task<TResult> WithServiceAsync<TService, TResult>(Func<TService, Task<TResult>> use) where TService : notnull
    {
        await using var scope = Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>The bot's messages to a user, oldest first, as the emulator's transcript shows them.</summary>
    public async Task<JsonElement[]> BotMessagesAsync(long userId) =>
        (await Emulator.TranscriptAsync(userId)).Where(m => m.GetProperty("fromBot").GetBoolean()).ToArray();

    /// <summary>Waits for the bot's first message after <paramref name="skip"/> earlier ones that matches.</summary>
    public async Task<JsonElement> WaitForBotMessageAsync(long userId, Func<JsonElement, bool> match, int skip = 0, TimeSpan? timeout = null)
    {
        JsonElement? found = null;
        JsonElement[] seen = [];
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            seen = await BotMessagesAsync(userId);
            found = seen.Skip(skip).Cast<JsonElement?>().FirstOrDefault(m => match(m!.Value));
            if (found is not null)
            {
                return found.Value;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"No matching bot message for user {userId}. The bot sent: " + string.Join(" | ", seen.Select(TextOf)));
        return default;
    }

    /// <summary>A user's text message, and the bot's first reply to it.</summary>
    public async Task<JsonElement> SayAndWaitAsync(long userId, string text, Func<JsonElement, bool>? match = null, string languageCode = "en")
    {
        var before = (await BotMessagesAsync(userId)).Length;
        var response = await Emulator.Http.PostAsJsonAsync($"/control/users/{userId}/text", new { text, firstName = "Tester", languageCode });
        response.EnsureSuccessStatusCode();
        return await WaitForBotMessageAsync(userId, match ?? (_ => true), before);
    }

    /// <summary>Waits until a query on the bot API's database comes true.</summary>
    public Task WaitUntilAsync(Func<FaceSwapDbContext, Task<bool>> condition, TimeSpan? timeout = null, string? because = null) =>
        EmulatorHost.WaitUntilAsync(() => WithDatabaseAsync(condition), timeout ?? TimeSpan.FromSeconds(30), because);

    /// <summary>Waits until the bot API's inbox handled an update (e.g. one posted to /telegram/webhook directly).</summary>
    public Task WaitUntilHandledAsync(long updateId, TimeSpan? timeout = null) =>
        EmulatorHost.WaitUntilAsync(() => WithDatabaseAsync(db =>
                db.InboxUpdates.AnyAsync(u => u.UpdateId == updateId && u.Status == InboxStatus.Handled)),
            timeout ?? TimeSpan.FromSeconds(20), $"update {updateId} to be handled");

    public static string TextOf(JsonElement message) =>
        message.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString()!
        : message.TryGetProperty("caption", out var caption) && caption.ValueKind == JsonValueKind.String ? caption.GetString()!
        : "(no text)";

    /// <summary>The inline buttons of a bot message: (text, callback data or null, url or null).</summary>
    public static IReadOnlyList<(string Text, string? Data, string? Url)> ButtonsOf(JsonElement message)
    {
        if (!message.TryGetProperty("replyMarkup", out var markup) || markup.ValueKind != JsonValueKind.Object
            || !markup.TryGetProperty("inline_keyboard", out var rows))
        {
            return [];
        }

        return rows.EnumerateArray().SelectMany(row => row.EnumerateArray()).Select(button => (
            button.GetProperty("text").GetString()!,
            button.TryGetProperty("callback_data", out var data) ? data.GetString() : null,
            button.TryGetProperty("url", out var url) ? url.GetString() : null)).ToList();
    }

    public HttpRequestMessage WithOpsKey(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Ops-Key", OpsKey);
        return request;
    }

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Http.Dispose();
        await _factory.DisposeAsync();
        await Emulator.DisposeAsync();
        await Redis.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); // release the database file so it can be deleted
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
