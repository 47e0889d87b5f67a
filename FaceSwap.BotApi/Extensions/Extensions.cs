using FaceSwap.BotApi.Conversation;
using FaceSwap.BotApi.Conversation.Commands;
using FaceSwap.BotApi.Conversation.Callbacks;
using FaceSwap.BotApi.Credits;
using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Inbox;
using FaceSwap.BotApi.Jobs;
using FaceSwap.BotApi.Media;
using FaceSwap.BotApi.Moderation;
using FaceSwap.BotApi.Payments;
using FaceSwap.BotApi.Operations;
using FaceSwap.BotApi.Privacy;
using FaceSwap.BotApi.Telegram;
using FaceSwap.BotApi.Web;
using FaceSwap.ContentSafety;
using FaceSwap.Contracts;
using FaceSwap.Messaging;
using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace FaceSwap.BotApi.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddEnvironmentAliases();
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<FaceSwapMetrics>();

        // Data: SQLite (default) or PostgreSQL, migrated before anything else starts (Data/DatabaseExtensions.cs).
        var connectionString = builder.AddFaceSwapDatabase();

        // Redis: jobs, results and short-lived photo blobs.
        builder.AddRequiredConnectionString("redis");
        builder.AddRedisClient("redis");

        // Telegram.
        services.AddValidatedOptions<TelegramOptions>(TelegramOptions.SectionName);
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked for evaluation; it is the documented way to opt one client out
        services.AddHttpClient("telegram")
            // Telegram.Bot retries 429s by itself, and the inbox retries whole updates; the standard resilience
            // handler would also retry non-idempotent sends (duplicate messages) and cut long polls at 10 s.
            .RemoveAllResilienceHandlers()
            .ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(60))
            .AddHttpMessageHandler(sp => new TelegramMetricsHandler(sp.GetRequiredService<FaceSwapMetrics>()))
            // The factory's logging scopes ("HTTP POST {Uri}") hold the URL, and Telegram.Bot's URLs hold the token.
            .RemoveAllLoggers()
            .AddTypedClient<ITelegramBotClient>((http, sp) =>
            {
                var telegram = sp.GetRequiredService<IOptions<TelegramOptions>>().Value;
                // Only a non-default base URL is passed: Telegram.Bot treats any base URL as a local Bot API server.
                return new TelegramBotClient(new TelegramBotClientOptions(telegram.BotToken,
                    telegram.UsesDefaultServer ? null : telegram.ApiBaseUrl.ToString().TrimEnd('/')), http);
            });
#pragma warning restore EXTEXP0001
        services.AddSingleton<TelegramSendGate>();
        services.AddScoped<BotMessenger>();
        // What a stored update's handling sent, so handling it again does not send it twice (Telegram/SentReplyLog.cs).
        services.AddScoped<SentReplyLog>();
        services.AddHostedService<TelegramConnection>();

        // Updates: durable intake, then ordered handling.
        services.AddValidatedOptions<InboxOptions>(InboxOptions.SectionName);
        services.AddSingleton<WakeSignal<InboxWorker>>();
        services.AddSingleton<UpdateInbox>();
        services.AddHostedService(sp => sp.GetRequiredService<UpdateInbox>());
        services.AddHostedService<InboxWorker>();
        // Handled updates and dispatched outbox messages are deleted after the retention period (Inbox/InboxPruner.cs).
        services.AddValidatedOptions<InboxRetentionOptions>(InboxRetentionOptions.SectionName);
        services.AddHostedService<InboxPruner>();

        // Conversation.
        services.AddScoped<CurrentUpdate>();
        services.AddScoped<UpdateDispatcher>();
        services.AddScoped<MessageHandler>();
        services.AddScoped<CallbackHandler>();
        services.AddScoped<CallbackRouter>();
        services.AddScoped<FaceButtons>();
        services.AddScoped<ResultButtons>();
        services.AddScoped<ConsentButtons>();
        services.AddScoped<PhotoHandler>();
        services.AddScoped<CommandRouter>();
        services.AddScoped<WelcomeCommands>();
        services.AddScoped<HelpCommands>();
        services.AddScoped<PrivacyCommands>();
        services.AddScoped<HistoryCommand>();
        services.AddScoped<SavedFaceCommands>();
        services.AddScoped<UserDirectory>();
        services.AddScoped<UserReachability>();
        services.AddScoped<CreditLedger>();
        services.AddValidatedOptions<TermsOptions>(TermsOptions.SectionName);
        services.AddScoped<TermsOfUse>();

        // Moderation and privacy: reports, bans, /deletedata.
        services.AddScoped<ModerationLog>();
        services.AddScoped<UserBans>();
        services.AddScoped<ContentReports>();
        services.AddScoped<ModerationCommands>();
        services.AddScoped<UserDataEraser>();

        // Photos and jobs.
        services.AddValidatedOptions<BlobOptions>(BlobOptions.SectionName);
        services.AddValidatedOptions<AiLabelOptions>(AiLabelOptions.SectionName);
        services.AddValidatedOptions<ImageIntakeOptions>(ImageIntakeOptions.SectionName);
        services.AddValidatedOptions<SwapLimitsOptions>(SwapLimitsOptions.SectionName);
        services.AddSingleton<BlobStore>();
        services.AddSingleton<ImageDecodeSlots>();
        // Every photo is screened at intake, before anything is stored or charged (section ContentSafety).
        services.AddContentSafety();
        services.AddSingleton<ImageIntake>();
        services.AddScoped<PhotoIntake>();
        services.AddSingleton<WakeSignal<JobDispatcher>>();
        services.AddSingleton<OutboxNudge>();
        services.AddScoped<JobQueue>();
        services.AddScoped<SwapJobLifecycle>();
        services.AddScoped<SwapStarter>();
        services.AddHostedService<JobDispatcher>();
        // The defaults first, then Jobs:Results over them, validated at start like every other section.
        services.AddOptions<StreamConsumerOptions>().Configure<IConfiguration>(ResultsConsumerDefaults);
        services.AddValidatedOptions<StreamConsumerOptions>(ResultsConsumerSection);
        services.AddStreamConsumer<SwapResultMessage, SwapResultHandler>(sp => sp.GetRequiredService<IOptions<StreamConsumerOptions>>().Value);
        services.AddHostedService<JobProgressListener>();
        services.AddValidatedOptions<JobSweeperOptions>(JobSweeperOptions.SectionName);
        services.AddHostedService<JobSweeper>();

        // Payments (Payments/PaymentsExtensions.cs).
        builder.AddPayments();
        // Health checks, backups, alerts, status page, signed media URLs, HTTP hardening.
        builder.AddOperations(connectionString);
        // The web app: Telegram sign-in, the same swaps in a browser (Web/WebExtensions.cs).
        builder.AddWeb();

        return builder;
    }

    private const string ResultsConsumerSection = "Jobs:Results";

    /// <summary>
    /// How the bot API reads <c>faceswap:results</c>: results of different jobs are delivered side by side (each waits on a
    /// Telegram upload), one job's in order. Overridable under <c>Jobs:Results</c> (ClaimAfter, MaxDeliveries, HandlersInParallel).
    /// </summary>
    private static void ResultsConsumerDefaults(StreamConsumerOptions options, IConfiguration configuration)
    {
        options.Stream = QueueNames.Results;
        options.Group = QueueNames.BotApiGroup;
        // One group, a consumer per replica: each result goes to one of them, and a dead replica's pending ones are
        // claimed by another after ClaimAfter.
        // Read from configuration, not IOptions<ReplicaOptions>, so a bad Replica:* setting is reported once, by its own check.
        options.Consumer = Data.Leases.ReplicaOptions.IdFrom(configuration);
        options.DeadLetterStream = QueueNames.ResultsDeadLetter;
        options.NudgeChannel = QueueNames.ResultsNudge;
        options.MaxDeliveries = 5;
        options.ClaimAfter = TimeSpan.FromSeconds(30);
        options.HandlersInParallel = 8;
    }

    /// <summary>The short variable names operators know from the original bot, mapped onto the configuration keys.</summary>
    private static void AddEnvironmentAliases(this IHostApplicationBuilder builder)
    {
        var aliases = new Dictionary<string, string>
        {
            ["BOT_TOKEN"] = "Telegram:BotToken",
            ["STRIPE_SECRET_KEY"] = "Stripe:SecretKey",
            ["STRIPE_WEBHOOK_SECRET"] = "Stripe:WebhookSecret",
        };
        var values = aliases
            .Where(alias => string.IsNullOrEmpty(builder.Configuration[alias.Value]) && !string.IsNullOrEmpty(builder.Configuration[alias.Key]))
            .ToDictionary(alias => alias.Value, alias => builder.Configuration[alias.Key]);
        if (values.Count > 0)
        {
            builder.Configuration.AddInMemoryCollection(values);
        }
    }
}
