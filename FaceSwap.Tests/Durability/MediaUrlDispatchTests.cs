using System.Text.Json;
using FaceSwap.BotApi.Media;
using FaceSwap.Contracts;
using FaceSwap.Tests.Emulator;
using FaceSwap.Tests.Engine;
using FaceSwap.Tests.EndToEnd;
using FaceSwap.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace FaceSwap.Tests.Durability;

public sealed class MediaUrlDispatchTests
{
    [Fact]
    public async Task A_job_held_in_the_outbox_gets_its_media_urls_signed_when_it_is_dispatched()
    {
        var clock = new ShiftedTimeProvider();
        await using var host = await BotApiHost.StartAsync(new Dictionary<string, string?>
        {
            ["Media:PublicBaseUrl"] = "https://bot.example.com",
            ["Media:SigningKey"] = "a-signing-key-of-at-least-32-characters!",
        }, services: services => services.AddSingleton<TimeProvider>(clock));
        var users = new EmulatorClient(host.Emulator.Http);
        const long userId = 6201;
        await users.AskAsync(userId, "/start", TimeSpan.FromSeconds(30));
        await users.AcceptTermsAsync(userId);
        await users.SendPhotoAsync(userId, TestImages.GraceHopper, "face.jpg");
        await users.SendPhotoAsync(userId, TestImages.Astronaut, "target.png");
        await users.WaitForBotMessageAsync(userId, m => EmulatorClient.Text(m)?.StartsWith("⏳ Queued") == true, TimeSpan.FromSeconds(30));

        // The job goes out at once, but after the "Queued" reply: the reply follows the outbox commit and the
        // dispatcher runs on its own loop, so wait for the entry itself. Then play it as if Redis had been down: the
        // entry never arrived and the outbox row waited; a minute later (on the bot API's clock) it is sent again.
        await using var redis = await ConnectionMultiplexer.ConnectAsync(host.Redis.ConnectionString + ",abortConnect=false");
        var first = await SingleJobEntryAsync(redis.GetDatabase(), "the job never reached the stream");
        var firstExpiry = Expiry(JsonSerializer.Deserialize<SwapJobMessage>(first["payload"].ToString())!.FaceUrl!);

        await host.WithDatabaseAsync(async db =>
        {
            var outbox = db.Outbox.Single();
            outbox.DispatchedAt = null;
            await db.SaveChangesAsync();
            return 0;
        });
        clock.Advance(TimeSpan.FromMinutes(1));
        await redis.GetDatabase().StreamDeleteAsync(QueueNames.Jobs, [first.Id]);
        host.Services.GetRequiredService<global::FaceSwap.BotApi.WakeSignal<global::FaceSwap.BotApi.Jobs.JobDispatcher>>().Notify();

        var again = await SingleJobEntryAsync(redis.GetDatabase(), "the held outbox row was not dispatched again");
        var message = JsonSerializer.Deserialize<SwapJobMessage>(again["payload"].ToString())!;
        var signer = host.Services.GetRequiredService<MediaUrlSigner>();
        Assert.True(Expiry(message.FaceUrl!) >= firstExpiry + 60, "the URL is signed at dispatch, not when the job was queued");
        Assert.True(signer.IsValid(message.FaceBlobKey, Expiry(message.FaceUrl!), Signature(message.FaceUrl!)));
        Assert.True(signer.IsValid(message.TargetBlobKey, Expiry(message.TargetUrl!), Signature(message.TargetUrl!)));
    }

    private static async Task<StreamEntry> SingleJobEntryAsync(IDatabase redis, string because)
    {
        StreamEntry[] entries = [];
        await EmulatorHost.WaitUntilAsync(async () => (entries = await redis.StreamRangeAsync(QueueNames.Jobs)).Length > 0,
            TimeSpan.FromSeconds(30), because);
        return Assert.Single(entries);
    }

    private static long Expiry(string url) =>
        long.Parse(System.Web.HttpUtility.ParseQueryString(new Uri(url).Query)["expires"]!, System.Globalization.CultureInfo.InvariantCulture);

    private static string Signature(string url) => System.Web.HttpUtility.ParseQueryString(new Uri(url).Query)["sig"]!;
}
