using FaceSwap.BotApi.Operations;
using FaceSwap.Tests.Emulator;
using FaceSwap.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FaceSwap.Tests.Operations;

/// <summary>
/// The bot API alone on a real Kestrel port, with its own SQLite file, a real redis-server and the Telegram emulator
/// (webhook mode: the emulator posts updates to this host). One per test; no processor.
/// </summary>
public sealed class BotApiHost : IAsyncDisposable
{
    public const string WebhookSecret = "webhook-secret-Zq81xVb3nT";
    public const string OpsKey = "ops-key-5f0c2d9e8a7b6c41";

    private readonly WebApplicationFactory<IntakeSwitch> _factory;

    private BotApiHost(WebApplicationFactory<IntakeSwitch> factory, Uri baseAddress, RedisServer redis, EmulatorHost emulator, string directory)
    {
        _factory = factory;
        BaseAddress = baseAddress;
        Redis = redis;
        Emulator = emulator;
        Directory = directory;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }
    public RedisServer Redis { get; }
    public EmulatorHost Emulator { get; }
    public HttpClient Http { get; }

    /// <summary>Holds the database and the backups.</summary>
    public string Directory { get; }

    public IServiceProvider Services => _factory.Services;

    public static async Task<BotApiHost> StartAsync(string environment = "Production", IReadOnlyDictionary<string, string>? settings = null,
        ILoggerProvider? logs = null, Action<IServiceCollection>? services = null)
    {
        var redis = await RedisServer.StartAsync();
        var emulator = EmulatorHost.Start();
        var directory = Path.Combine(Path.GetTempPath(), "faceswap-ops-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(directory);
        var port = RedisServer.FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var all = new Dictionary<string, string>
        {
            ["ConnectionStrings:faceswapdb"] = $"Data Source={Path.Combine(directory, "faceswap.db")}",
            ["ConnectionStrings:redis"] = redis.ConnectionString,
            ["Telegram:BotToken"] = EmulatorHost.Token,
            ["Telegram:ApiBaseUrl"] = emulator.BaseAddress.ToString(),
            ["Telegram:Mode"] = "webhook",
            ["Telegram:WebhookSecret"] = WebhookSecret,
            ["Telegram:PublicUrl"] = baseAddress.ToString(),
            ["Backups:Directory"] = Path.Combine(directory, "backups"),
            ["Ops:ApiKey"] = OpsKey,
            ["Status:ReportCacheDuration"] = "00:00:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        var factory = new WebApplicationFactory<IntakeSwitch>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment(environment);
            builder.UseUrls(baseAddress.ToString());
            foreach (var (key, value) in all)
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
        var host = new BotApiHost(factory, baseAddress, redis, emulator, directory);
        try
        {
            factory.StartServer();
            await EmulatorHost.WaitUntilAsync(async () => (await host.Http.GetAsync("/health")).IsSuccessStatusCode, TimeSpan.FromSeconds(30), "the bot API is ready");
            return host;
        }
        catch
        {
            // A start that fails (tests of bad settings) must not leave redis-server and the emulator running.
            await host.DisposeAsync();
            throw;
        }
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
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
