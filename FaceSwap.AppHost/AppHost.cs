using FaceSwap.AppHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

var builder = DistributedApplication.CreateBuilder(args);

var dataDirectory = Path.GetFullPath(builder.Configuration["FaceSwap:DataDirectory"] ?? Path.Combine(builder.AppHostDirectory, ".data"));
var secrets = FaceSwapSecrets.Add(builder);
var redis = builder.AddFaceSwapRedis("redis", dataDirectory);

// Local mode: no bot token configured, so the Telegram emulator stands in for the Bot API.
var localMode = builder.ExecutionContext.IsRunMode && secrets.TelegramBotToken is null;

var botApi = builder.AddProject<Projects.FaceSwap_BotApi>("botapi")
    .WithRedisUser(redis, FaceSwap.AppHost.Redis.RedisAcl.BotApiUser)
    // Jobs are queued in Redis and the inbox workers start at once; waiting avoids a burst of failed first attempts.
    .WaitFor(redis)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints()
    .WithSecret("Telegram__BotToken", secrets.TelegramBotToken)
    .WithSecret("Telegram__WebhookSecret", secrets.TelegramWebhookSecret)
    .WithSecret("Stripe__SecretKey", secrets.StripeSecretKey)
    .WithSecret("Stripe__WebhookSecret", secrets.StripeWebhookSecret)
    .WithSecret("Ops__ApiKey", secrets.OpsApiKey)
    .WithSecret("Media__SigningKey", secrets.MediaSigningKey)
    .WithBotApiCommands(secrets);

if (builder.ExecutionContext.IsRunMode && builder.Configuration["FaceSwap:Database"] == "postgres")
{
    // PostgreSQL instead of the SQLite file (docs/operations/scaling.md): a container, or Debian's binaries.
    var database = builder.AddFaceSwapPostgres("faceswapdb", dataDirectory);
    botApi.WithReference(database)
          .WaitFor(database)
          .WithEnvironment("Database__Provider", "postgres");
}
else if (builder.ExecutionContext.IsRunMode)
{
    var databasePath = Path.Combine(dataDirectory, "botapi", "faceswap.db");
    Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
    botApi.WithEnvironment("ConnectionStrings__faceswapdb", $"Data Source={databasePath}")
          .WithEnvironment("Backups__Directory", Path.Combine(dataDirectory, "botapi", "backups"));
}

// Operator settings of the bot API that a local run (or a test) may set on the AppHost's command line, e.g.
// `dotnet run --project FaceSwap.AppHost -- Ops:AlertChatId=900 Payments:AdminUserIds:0=900`.
foreach (var key in new[] { "Ops:AlertChatId", "Payments:AdminUserIds:0", "Terms:Version" })
{
    if (builder.Configuration[key] is { Length: > 0 } value)
    {
        botApi.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), value);
    }
}

var processor = builder.AddProject<Projects.FaceSwap_Processor>("processor")
    .WithRedisUser(redis, FaceSwap.AppHost.Redis.RedisAcl.ProcessorUser)
    // A processor without Redis has nothing to consume; its readiness would flap until Redis is up.
    .WaitFor(redis)
    .WithHttpHealthCheck("/health")
    .WithReplicas(builder.Configuration.GetValue("FaceSwap:ProcessorReplicas", 1))
    .WithSecret("MagicApi__Key", secrets.MagicApiKey)
    .WithSecret("Ops__ApiKey", secrets.OpsApiKey)
    .WithProcessorCommands(secrets);

if (builder.Configuration["FaceSwap:Engine"] is { Length: > 0 } engine)
{
    processor.WithEnvironment("FaceSwap__Engine", engine);
}

// The hosted engine's address and polling, for a provider that moved, or a local fake of its contract.
foreach (var key in new[] { "MagicApi:BaseUrl", "MagicApi:PollInterval" })
{
    if (builder.Configuration[key] is { Length: > 0 } value)
    {
        processor.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), value);
    }
}

if (localMode)
{
    const string emulatorToken = "123456789:emulator-local-token-0000000000000";
    var emulator = builder.AddProject<Projects.FaceSwap_TelegramEmulator>("telegram-emulator")
        .WithEnvironment("Emulator__BotToken", emulatorToken)
        .WithHttpHealthCheck("/health")
        .WithUrlForEndpoint("http", url => url.DisplayText = "Chat with the bot");
    var emulatorUrl = emulator.GetEndpoint("http");

    botApi.WithEnvironment("Telegram__BotToken", emulatorToken)
        .WithEnvironment("Telegram__ApiBaseUrl", emulatorUrl)
        .WithEnvironment("Telegram__Mode", builder.Configuration["FaceSwap:TelegramMode"] ?? "webhook")
        .WithEnvironment("Telegram__WebhookSecret", Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)))
        .WithEnvironment("Telegram__PublicUrl", botApi.GetEndpoint("http"))
        // The web app's "Sign in with Telegram" goes to the emulator's stand-in of Telegram's login page.
        .WithEnvironment("Web__LoginUrl", ReferenceExpression.Create($"{emulatorUrl}/login"))
        // BotApi registers its webhook with the emulator at start.
        .WaitFor(emulator);

    builder.AnnounceWhenReady(redis.Resource, botApi.Resource, processor.Resource, emulator.Resource);

    emulator.OnResourceReady((_, readyEvent, _) =>
    {
        readyEvent.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FaceSwap")
            .LogInformation("Chat page: {ChatUrl}; web app: {WebUrl}/web/", emulatorUrl.Url, botApi.GetEndpoint("http").Url);
        return Task.CompletedTask;
    });
}

if (builder.ExecutionContext.IsRunMode && !localMode)
{
    // A real bot token on a developer's machine: no public URL for a webhook, so long-poll Telegram instead.
    botApi.WithEnvironment("Telegram__Mode", builder.Configuration["FaceSwap:TelegramMode"] ?? "polling");
}

if (builder.ExecutionContext.IsPublishMode)
{
    // Azure Container Apps (azd): the database lives on an Azure Files share mounted at /data with the nobrl
    // mount option (docs/operations/deploy.md); WAL needs shared memory, which SMB lacks.
    botApi.WithEnvironment("ConnectionStrings__faceswapdb", "Data Source=/data/faceswap.db")
        .WithEnvironment("Database__JournalMode", "DELETE")
        .WithEnvironment("Backups__Directory", "/data/backups")
        .WithEnvironment("Telegram__Mode", "webhook")
        // BotApi registers its Telegram webhook at its own public address when it starts.
        .WithEnvironment("Telegram__PublicUrl", botApi.GetEndpoint("https"));

    // The deployment image is built from the processor's Dockerfile (its models ship in the published output).
    // Context ".." is the repository root, which the Dockerfile builds the solution from.
    processor.PublishAsDockerFile(container => container.WithDockerfile("..", "FaceSwap.Processor/Dockerfile"));
}

// A missing redis-server or a port in use otherwise surfaces minutes later as a timeout deep inside the orchestrator.
if (StartupPrerequisites.Find(builder) is [_, ..] problems)
{
    foreach (var problem in problems)
    {
        Console.Error.WriteLine("FaceSwap cannot start: " + problem);
    }

    return 1;
}

builder.Build().Run();
return 0;
