using FaceSwap.Processor.Engines;
using FaceSwap.Processor.Queue;

namespace FaceSwap.Processor.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddRedisClient("redis");
        builder.AddFaceSwapEngine();

        builder.Services.AddOptions<ProcessorOptions>().BindConfiguration(ProcessorOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ProcessorState>();
        builder.Services.AddHealthChecks().AddCheck<ProcessorState>("queue");
        builder.Services.AddHostedService<SwapWorker>();
        builder.Services.AddHostedService<ProcessorHeartbeat>();
        return builder;
    }
}
