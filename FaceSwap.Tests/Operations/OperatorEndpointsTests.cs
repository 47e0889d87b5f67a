using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Operations.Backups;
using FaceSwap.Tests.Emulator;
using FaceSwap.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace FaceSwap.Tests.Operations;

/// <summary>The bot API's operator actions (<c>/ops/*</c>) through a running bot API (Production environment).</summary>
public sealed class OperatorEndpointsTests
{
    [Theory]
    [InlineData("/ops/backups")]
    [InlineData("/ops/dead-letters/replay")]
    [InlineData("/ops/webhook")]
    public async Task Without_the_operator_key_an_action_is_refused_with_401_problem_details(string path)
    {
        await using var host = await BotApiHost.StartAsync();

        var response = await host.Http.PostAsync(path, null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Back_up_now_writes_a_verified_snapshot_and_names_it()
    {
        await using var host = await BotApiHost.StartAsync();

        var response = await host.Http.SendAsync(host.WithOpsKey(HttpMethod.Post, "/ops/backups"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var file = Path.Combine(host.Directory, "backups", body.GetProperty("fileName").GetString()!);
        Assert.True(File.Exists(file), file);
        Assert.Equal(new FileInfo(file).Length, body.GetProperty("sizeBytes").GetInt64());
        Assert.True(body.GetProperty("verified").GetBoolean());
        Assert.Equal("ok", await SqliteBackup.VerifyAsync(file, CancellationToken.None));
    }

    [Fact]
    public async Task Replaying_dead_letters_hands_a_given_up_update_to_the_inbox_again()
    {
        await using var host = await BotApiHost.StartAsync();
        const long updateId = 880_001;
        var update = new Update
        {
            Id = (int)updateId,
            Message = new Message
            {
                Id = 1, Date = DateTime.UtcNow, Text = "/balance",
                Chat = new Chat { Id = 4242, Type = ChatType.Private }, From = new User { Id = 4242, FirstName = "Tester" },
            },
        };
        await host.WithDatabaseAsync(async db =>
        {
            db.InboxUpdates.Add(new InboxUpdate
            {
                UpdateId = updateId, ChatId = 4242, Payload = JsonSerializer.Serialize(update, JsonBotAPI.Options),
                ReceivedAt = DateTimeOffset.UtcNow, Status = InboxStatus.Failed, Attempts = 5, LastError = "gave up",
                HandledAt = DateTimeOffset.UtcNow,
            });
            return await db.SaveChangesAsync();
        });

        var response = await host.Http.SendAsync(host.WithOpsKey(HttpMethod.Post, "/ops/dead-letters/replay"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, body.GetProperty("updatesReplayed").GetInt32());
        Assert.Equal(0, body.GetProperty("jobDeadLetters").GetInt64());
        await host.WaitUntilHandledAsync(updateId);
        Assert.Equal(1, await host.WithDatabaseAsync(db => db.InboxUpdates.Where(u => u.UpdateId == updateId).Select(u => u.Attempts).SingleAsync()));
    }

    [Fact]
    public async Task Registering_the_webhook_sets_it_at_the_emulator_again()
    {
        await using var host = await BotApiHost.StartAsync();
        var bot = host.Emulator.Bot();
        var expected = new Uri(host.BaseAddress, "/telegram/webhook").ToString();
        await EmulatorHost.WaitUntilAsync(async () => (await bot.GetWebhookInfo()).Url == expected, because: "the webhook registered at start");
        await bot.DeleteWebhook();
        Assert.Equal("", (await bot.GetWebhookInfo()).Url);

        var response = await host.Http.SendAsync(host.WithOpsKey(HttpMethod.Post, "/ops/webhook"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString());
        Assert.Equal(expected, (await bot.GetWebhookInfo()).Url);
    }

    [Fact]
    public async Task In_polling_mode_registering_a_webhook_is_refused_with_409()
    {
        await using var host = await BotApiHost.StartAsync(settings: new Dictionary<string, string?> { ["Telegram:Mode"] = "polling" });

        var response = await host.Http.SendAsync(host.WithOpsKey(HttpMethod.Post, "/ops/webhook"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
