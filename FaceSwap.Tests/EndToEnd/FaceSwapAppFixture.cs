using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using FaceSwap.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FaceSwap.Tests.EndToEnd;

/// <summary>
/// The whole Aspire app (local redis-server, bot API, processor, Telegram emulator) started once with no secrets
/// and shared by the end-to-end tests of a collection: a start costs ~10-25 s here, a stop ~2 s. It has an operator
/// (<see cref="OperatorId"/>): their chat is the alert chat and they are an admin, so the moderation tests share
/// this start rather than paying for one of their own; every other test's users are strangers to it.
/// </summary>
public class FaceSwapAppFixture : IAsyncLifetime
{
    public const long OperatorId = 990001;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private static readonly string[] Resources = ["redis", "telegram-emulator", "botapi", "processor"];

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "faceswap-e2e-" + Guid.NewGuid().ToString("N")[..8]);

    public DistributedApplication App { get; private set; } = null!;

    public EmulatorClient Emulator { get; private set; } = null!;

    public string DataDirectory => _dataDirectory;

    /// <summary>Extra AppHost settings (key=value) of a derived fixture.</summary>
    protected virtual IEnumerable<string> Settings => [$"Ops:AlertChatId={OperatorId}", $"Payments:AdminUserIds:0={OperatorId}"];

    /// <summary>The bot API's SQLite file (the default provider).</summary>
    public string DatabasePath => Path.Combine(DataDirectory, "botapi", "faceswap.db");

    /// <summary>One scalar from the bot API's SQLite database, read (or written) while the bot API runs.</summary>
    public async Task<T> QueryAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using (var wait = connection.CreateCommand())
        {
            wait.CommandText = "PRAGMA busy_timeout = 5000"; // the bot API writes the same file meanwhile
            await wait.ExecuteNonQueryAsync();
        }

        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public virtual async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        string[] args = ["FaceSwap:RedisMode=Local", $"FaceSwap:DataDirectory={_dataDirectory}", .. Settings];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FaceSwap_AppHost>(args, timeout.Token);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
        {
            // No dashboard runs in a test, so nothing listens at the services' OTLP endpoint: at every stop their
            // exporters retried it (OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY=in_memory) up to the 10 s export timeout, and
            // DCP waited for them, ~13 s per AppHost stop; ~2 s without. No test reads telemetry through OTLP.
            builder.CreateResourceBuilder(project).WithEnvironment(context => context.EnvironmentVariables.Remove("OTEL_EXPORTER_OTLP_ENDPOINT"));
        }

        builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(p => p.Name == "botapi"))
            .WithEnvironment("Telegram__PerChatBurst", TestPacing.PerChatBurst);

        App = await builder.BuildAsync(timeout.Token);
        await App.StartAsync(timeout.Token);
        foreach (var resource in Resources)
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
        }

        // Updates sent before BotApi registered its webhook wait in the emulator, as they would at Telegram.
        Emulator = new EmulatorClient(App.CreateHttpClient("telegram-emulator"));
    }

    public virtual async Task DisposeAsync()
    {
        if (App is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await App.StopAsync(timeout.Token);
            await App.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
