using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FaceSwap.AppHost;

internal static class ReadyAnnouncement
{
    /// <summary>
    /// Logs one line once every given resource is healthy, with the time since this process started: developers see
    /// when the app is usable, and bench/apphost-start.sh measures start-up by it.
    /// </summary>
    public static void AnnounceWhenReady(this IDistributedApplicationBuilder builder, params IResource[] resources)
    {
        var waiting = new HashSet<string>(resources.Select(r => r.Name), StringComparer.Ordinal);
        var gate = new Lock();
        foreach (var resource in resources)
        {
            builder.Eventing.Subscribe<ResourceReadyEvent>(resource, (ready, _) =>
            {
                lock (gate)
                {
                    if (!waiting.Remove(ready.Resource.Name) || waiting.Count > 0)
                    {
                        return Task.CompletedTask;
                    }
                }

                using var self = Process.GetCurrentProcess();
                ready.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FaceSwap").LogInformation(
                    "FaceSwap is ready: all {Count} resources healthy {Seconds:F1} s after the AppHost started",
                    resources.Length, (DateTime.Now - self.StartTime).TotalSeconds);
                return Task.CompletedTask;
            });
        }
    }
}
