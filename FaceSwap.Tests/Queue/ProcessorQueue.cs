using FaceSwap.ContentSafety;
using FaceSwap.Contracts;
using FaceSwap.Messaging;
using FaceSwap.Processor.Engines;
using FaceSwap.Processor.Extensions;
using FaceSwap.Processor.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FaceSwap.Tests.Queue;

/// <summary>
/// The processor's real job consumer in this process, with a scripted engine (inside the content-safety gate when one
/// is given, as the processor wraps every engine): start it, stop it.
/// </summary>
internal sealed class ProcessorQueue : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private bool _stopped;

    private ProcessorQueue(ServiceProvider services) => _services = services;

    public IServiceProvider Services => _services;

    public RedisStreamConsumer<SwapJobMessage, SwapJobHandler> Consumer => _services.GetRequiredService<RedisStreamConsumer<SwapJobMessage, SwapJobHandler>>();

    public static async Task<ProcessorQueue> StartAsync(IConnectionMultiplexer redis, ScriptedEngine engine, Action<ProcessorOptions>? configure = null,
        TimeProvider? time = null, ContentSafetyGate? safety = null)
    {
        var options = new ProcessorOptions { ConsumerName = "test-" + Guid.NewGuid().ToString("N")[..6], IdlePollInterval = TimeSpan.FromMilliseconds(100) };
        configure?.Invoke(options);
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(redis)
            .AddSingleton<IFaceSwapEngine>(safety is null ? engine : new ContentScreenedEngine(engine, safety, NullLogger<ContentScreenedEngine>.Instance))
            .AddSingleton<IFaceDetector>(engine)
            .AddSingleton(Options.Create(options))
            .AddSingleton(time ?? TimeProvider.System)
            .AddSwapJobConsumer()
            .BuildServiceProvider();
        var queue = new ProcessorQueue(services);
        await queue.Consumer.StartAsync(CancellationToken.None);
        return queue;
    }

    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await Consumer.StopAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _services.DisposeAsync();
    }
}
