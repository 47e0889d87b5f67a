using FaceSwap.TelegramEmulator.BotApi;
using FaceSwap.TelegramEmulator.Infrastructure;
using FaceSwap.TelegramEmulator.Media;
using FaceSwap.TelegramEmulator.Webhooks;
using Microsoft.AspNetCore.Http.Features;

namespace FaceSwap.TelegramEmulator.Extensions;

public static class Extensions
{
    // Bot uploads go up to 50 MB like Telegram; leave room for the multipart framing.
    private const long MaxRequestBodyBytes = 64L * 1024 * 1024;

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        services.AddOptions<EmulatorOptions>()
            .BindConfiguration(EmulatorOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddProblemDetails();
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = MaxRequestBodyBytes);

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<FileStore>();
        services.AddSingleton<UpdateQueue>();
        services.AddSingleton<ChatStore>();
        services.AddSingleton<PhotoService>();
        services.AddSingleton<RateLimiter>();
        services.AddSingleton<FaultInjector>();
        services.AddSingleton<BotMethods>();
        services.AddSingleton<WebhookHttpClient>();
        services.AddHttpClient("downloads");
        services.AddHostedService<WebhookDeliveryService>();
    }
}
