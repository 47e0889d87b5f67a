using System.Net.Http.Json;
using System.Text.Json;
using FaceSwap.TelegramEmulator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;
using Telegram.Bot;

namespace FaceSwap.Tests.Emulator;

/// <summary>
/// One emulator per test, on a real Kestrel port (webhooks and Telegram.Bot need real HTTP),
/// with its own in-memory state.
/// </summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    public const string Token = "123456789:emulator-local-token-0000000000000";

    private readonly WebApplicationFactory<EmulatorAssembly> _factory;

    private EmulatorHost(WebApplicationFactory<EmulatorAssembly> factory, Uri baseAddress)
    {
        _factory = factory;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseAddress { get; }

    /// <summary>A plain client for the control API and raw Bot API calls.</summary>
    public HttpClient Http { get; }

    /// <param name="time">A fake clock for the emulator (fault delays, rate limits, timestamps); the system clock if null.</param>
    public static EmulatorHost Start(IReadOnlyDictionary<string, string>? settings = null, TimeProvider? time = null)
    {
        var factory = new WebApplicationFactory<EmulatorAssembly>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            builder.UseUrls("http://127.0.0.1:0");
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                builder.UseSetting(key, value);
            }

            if (time is not null)
            {
                builder.ConfigureTestServices(services => services.AddSingleton(time));
            }
        });
        factory.UseKestrel();
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EmulatorHost(factory, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    /// <summary>The real Telegram.Bot client pointed at the emulator; its own 429 retries are off so tests see them.</summary>
    public TelegramBotClient Bot(string token = Token) =>
        new(new TelegramBotClientOptions(token, baseUrl: BaseAddress.ToString().TrimEnd('/')) { RetryCount = 0 });

    public async Task<JsonElement> UserSaysAsync(long userId, string text, string? firstName = null)
    {
        var response = await Http.PostAsJsonAsync($"/control/users/{userId}/text", new { text, firstName });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JsonElement> UserSendsPhotoAsync(long userId, byte[] image, bool asDocument = false, string? caption = null, string fileName = "face.png")
    {
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(image), "file", fileName },
            { new StringContent(asDocument ? "true" : "false"), "asDocument" },
        };
        if (caption is not null)
        {
            form.Add(new StringContent(caption), "caption");
        }

        var response = await Http.PostAsync($"/control/users/{userId}/photo", form);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JsonElement[]> TranscriptAsync(long userId) =>
        (await Http.GetFromJsonAsync<JsonElement[]>($"/control/users/{userId}/messages"))!;

    public async Task<JsonElement> RawBotCallAsync(string method, object? body = null, string token = Token)
    {
        var response = await Http.PostAsJsonAsync($"/bot{token}/{method}", body ?? new { });
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)response.StatusCode, json.GetProperty("ok").GetBoolean() ? 200 : json.GetProperty("error_code").GetInt32());
        return json;
    }

    public static byte[] MakeImage(int width, int height, SKColor? color = null)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(color ?? SKColors.CornflowerBlue);
            using var paint = new SKPaint { Color = SKColors.White };
            canvas.DrawCircle(width / 2f, height / 2f, Math.Min(width, height) / 4f, paint);
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Polls until the condition holds; fails the test after the timeout.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, string? because = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("Timed out waiting: " + (because ?? "condition"));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _factory.DisposeAsync();
    }
}
