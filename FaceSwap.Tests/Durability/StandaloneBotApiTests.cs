using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FaceSwap.Tests.Emulator;
using FaceSwap.Tests.Support;
using Microsoft.Data.Sqlite;

namespace FaceSwap.Tests.Durability;

/// <summary>
/// BotApi and Processor run as plain processes configured only by environment variables (the names in
/// ARCHITECTURE.md), against a real redis-server and the Telegram emulator, as their containers run in the cloud.
/// </summary>
public sealed class StandaloneBotApiTests : IAsyncLifetime
{
    private const string WebhookSecret = "standalone-secret_123";
    private static readonly TimeSpan Reply = TimeSpan.FromSeconds(30);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "faceswap-standalone-" + Guid.NewGuid().ToString("N")[..8]);
    private RedisServer _redis = null!;
    private EmulatorHost _emulator = null!;
    private ServiceProcess _botApi = null!;
    private ServiceProcess _processor = null!;
    private Uri _botApiUrl = null!;
    private EndToEnd.EmulatorClient _users = null!;

    private string DatabasePath => Path.Combine(_directory, "faceswap.db");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _redis = await RedisServer.StartAsync();
        _emulator = EmulatorHost.Start();
        _users = new EndToEnd.EmulatorClient(_emulator.Http);
        _botApiUrl = new Uri($"http://127.0.0.1:{RedisServer.FreePort()}");
        _botApi = ServiceProcess.Start("FaceSwap.BotApi", ServiceProcess.BotApiSettings(_botApiUrl, _emulator, _redis, DatabasePath, WebhookSecret));
        _processor = ServiceProcess.Start("FaceSwap.Processor", new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{RedisServer.FreePort()}",
            ["ConnectionStrings__redis"] = _redis.ConnectionString,
        });
        await _botApi.WaitHealthyAsync(new Uri(_botApiUrl, "/health"), TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await _botApi.DisposeAsync();
        await _processor.DisposeAsync();
        await _emulator.DisposeAsync();
        await _redis.DisposeAsync();
        ServiceProcess.DeleteDirectory(_directory);
    }

    [Fact]
    public async Task Serves_the_webhook_registers_itself_and_answers_start()
    {
        await _users.SendTextAsync(8001, "/start");
        await _users.AcceptTermsAsync(8001);

        var welcome = await _users.WaitForBotMessageAsync(8001, m => EndToEnd.EmulatorClient.Text(m) is not null, Reply);

        Assert.Contains("free swaps", EndToEnd.EmulatorClient.Text(welcome));
        var state = await _emulator.Http.GetFromJsonAsync<JsonElement>("/control/state");
        Assert.Equal(new Uri(_botApiUrl, "/telegram/webhook").ToString(), state.GetProperty("webhookUrl").GetString());
    }

    [Fact]
    public async Task A_wrong_webhook_secret_gets_403_and_changes_nothing()
    {
        using var http = new HttpClient { BaseAddress = _botApiUrl };
        var update = UpdateJson(990_001, 8002, "/start");

        var wrong = await PostUpdateAsync(http, update, "not-the-secret");
        var missing = await PostUpdateAsync(http, update, secret: null);

        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, missing.StatusCode);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM inbox_updates WHERE UpdateId = 990001"));
    }

    [Fact]
    public async Task The_same_update_delivered_twice_is_handled_once()
    {
        const long userId = 8003;
        await _users.AskAsync(userId, "/start", Reply); // the chat exists once the user has written
        using var http = new HttpClient { BaseAddress = _botApiUrl };
        var update = UpdateJson(990_100, userId, "/balance");

        var first = await PostUpdateAsync(http, update, WebhookSecret);
        var second = await PostUpdateAsync(http, update, WebhookSecret);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        await _users.WaitForBotMessageAsync(userId, m => EndToEnd.EmulatorClient.Text(m)?.StartsWith("You have") == true, Reply);
        // A later update of the same chat as a marker: the inbox handles a chat's updates in order, so once the marker
        // is answered a handled duplicate would have answered too.
        await PostUpdateAsync(http, UpdateJson(990_101, userId, "/nosuchcommand"), WebhookSecret);
        await _users.WaitForBotMessageAsync(userId, m => EndToEnd.EmulatorClient.Text(m)?.StartsWith("I don't know that command", StringComparison.Ordinal) == true, Reply);
        var balances = (await _users.BotMessagesAsync(userId)).Count(m => EndToEnd.EmulatorClient.Text(m)?.StartsWith("You have") == true);
        Assert.Equal(1, balances);
    }

    [Fact]
    public async Task Garbage_and_oversized_bodies_get_clear_errors()
    {
        using var http = new HttpClient { BaseAddress = _botApiUrl };

        var garbage = await PostUpdateAsync(http, "{ not json", WebhookSecret);
        var huge = await PostUpdateAsync(http, new string('x', 2 * 1024 * 1024), WebhookSecret);

        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
    }

    [Fact]
    public async Task Photos_sent_while_redis_is_down_are_swapped_after_it_returns()
    {
        const long userId = 8004;
        await _users.AskAsync(userId, "/start", Reply);
        await _users.AcceptTermsAsync(userId);
        await _redis.KillAsync();

        await _users.SendPhotoAsync(userId, Engine.TestImages.GraceHopper, "face.jpg");
        await _users.SendPhotoAsync(userId, Engine.TestImages.Astronaut, "target.png", asDocument: true);
        // Observed, not slept for: both photos wait in the inbox (SQLite), the first one tried and failed for want of
        // Redis, to be tried again.
        await EmulatorHost.WaitUntilAsync(async () =>
            await CountAsync($"SELECT COUNT(*) FROM inbox_updates WHERE ChatId = {userId} AND Status = 0 AND Attempts >= 1 AND LastError IS NOT NULL") == 1,
            Reply, "a photo's handling to fail while Redis is down");
        Assert.Equal(2, await CountAsync($"SELECT COUNT(*) FROM inbox_updates WHERE ChatId = {userId} AND Status = 0"));
        Assert.DoesNotContain(await _users.BotMessagesAsync(userId), m => EndToEnd.EmulatorClient.PhotoFileId(m) is not null);
        await _redis.StartAgainAsync();

        var result = await _users.WaitForBotMessageAsync(userId, m => EndToEnd.EmulatorClient.PhotoFileId(m) is not null, TimeSpan.FromSeconds(90));
        Assert.Contains("Credits left: 2", EndToEnd.EmulatorClient.Text(result));
    }

    private static string UpdateJson(long updateId, long userId, string text) => JsonSerializer.Serialize(new
    {
        update_id = updateId,
        message = new
        {
            message_id = 1_000_000 + updateId,
            date = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            chat = new { id = userId, type = "private", first_name = "Tester" },
            from = new { id = userId, is_bot = false, first_name = "Tester", language_code = "en" },
            text,
            entities = text.StartsWith('/') ? new[] { new { type = "bot_command", offset = 0, length = text.Length } } : null,
        },
    });

    private static Task<HttpResponseMessage> PostUpdateAsync(HttpClient http, string body, string? secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/telegram/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (secret is not null)
        {
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        }

        return http.SendAsync(request);
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
