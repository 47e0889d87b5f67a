using FaceSwap.Contracts;
using FaceSwap.Messaging;
using FaceSwap.Processor.Engines;
using FaceSwap.Processor.Memory;
using FaceSwap.Processor.Operations;
using FaceSwap.Processor.Queue;
using Microsoft.Extensions.Options;

namespace FaceSwap.Processor.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddRequiredConnectionString("redis");
        builder.AddRedisClient("redis");
        builder.AddFaceSwapEngine();

        builder.Services.AddValidatedOptions<ProcessorOptions>(ProcessorOptions.SectionName);
        builder.Services.AddSwapJobConsumer();
        builder.Services.AddHealthChecks().AddCheck<ProcessorState>("queue");
        builder.Services.AddHostedService<ProcessorHeartbeat>();
        return builder;
    }

    /// <summary>
    /// The job consumer (<see cref="SwapJobHandler"/> on <c>faceswap:jobs</c>) and its state; it needs Redis, an engine, a
    /// detector and <see cref="ProcessorOptions"/>. The tests and the queue benchmark run exactly this.
    /// </summary>
    public static IServiceCollection AddSwapJobConsumer(this IServiceCollection services)
    {
        services.AddSingleton<ProcessorState>();
        services.AddSingleton<ProcessorDrain>();
        services.AddSingleton<JobMemory>();
        services.AddStreamConsumer<SwapJobMessage, SwapJobHandler>(sp => SwapJobConsumerOptions(sp.GetRequiredService<IOptions<ProcessorOptions>>().Value));
        return services;
    }

    private static StreamConsumerOptions SwapJobConsumerOptions(ProcessorOptions options) => new()
    {
        Stream = QueueNames.Jobs,
        Group = QueueNames.ProcessorGroup,
        Consumer = options.ConsumerName,
        DeadLetterStream = QueueNames.DeadLetter,
        NudgeChannel = QueueNames.JobsNudge,
        MaxDeliveries = options.MaxAttempts,
        ClaimAfter = options.VisibilityTimeout,
        HandlersInParallel = options.JobsInParallel,
        IdlePollInterval = options.IdlePollInterval,
    };
}
