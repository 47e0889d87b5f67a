using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FaceSwap.Processor.Engines.Local;

/// <summary>Loads the models in the background at start, so the first swap does not pay for it and a missing model shows at once.</summary>
public sealed class LocalModelWarmup(LocalFaceSwapEngine engine, ILogger<LocalModelWarmup> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
    {
        try
        {
            engine.EnsureModelsLoaded();
        }
        catch (FaceSwapException exception)
        {
            // Not rethrown: the process stays up and reports Unhealthy with the same message on /health.
            logger.LogError(exception, "Local engine unavailable: {Reason}", exception.Message);
        }
    }, stoppingToken);
}
