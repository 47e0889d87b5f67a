using FaceSwap.BotApi;
using FaceSwap.Tests.Emulator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FaceSwap.Tests.Support;

/// <summary>
/// The bot API in process with the minimum it needs plus the given settings, not started yet: reading
/// <c>Server</c> starts it, so a test can see the start refuse a bad setting (options validated at start).
/// </summary>
public static class UnstartedBotApi
{
    public static WebApplicationFactory<BotApiAssembly> With(params (string Key, string Value)[] settings) =>
        new WebApplicationFactory<BotApiAssembly>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ConnectionStrings:faceswapdb", $"Data Source={Path.Combine(Path.GetTempPath(), $"faceswap-never-{Guid.NewGuid():N}.db")}");
            builder.UseSetting("ConnectionStrings:redis", "127.0.0.1:1,abortConnect=false");
            builder.UseSetting("Telegram:BotToken", EmulatorHost.Token);
            builder.UseSetting("Telegram:WebhookSecret", "secret");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });
}
