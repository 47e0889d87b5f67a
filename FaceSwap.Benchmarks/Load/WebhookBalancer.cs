using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace FaceSwap.Benchmarks.Load;

/// <summary>
/// The ingress in front of several bot API replicas, on loopback: YARP's round-robin over them. Every replica
/// registers this address as its webhook, so the emulator's updates are spread across all of them as Azure's ingress
/// spreads Telegram's. Counts what each replica was sent, so a run can show (and check) that all of them took part.
/// </summary>
public sealed class WebhookBalancer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _forwarded = new(StringComparer.Ordinal);

    private WebhookBalancer(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>Requests forwarded per replica, by its position in the list given (0, 1, ...).</summary>
    public IReadOnlyList<int> Forwarded(int replicas) =>
        [.. Enumerable.Range(0, replicas).Select(i => _forwarded.GetValueOrDefault(DestinationId(i)))];

    public static async Task<WebhookBalancer> StartAsync(IReadOnlyList<Uri> replicas)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseSetting("urls", "http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new RouteConfig { RouteId = "all", ClusterId = "botapi", Match = new RouteMatch { Path = "{**path}" } }],
            [new ClusterConfig
            {
                ClusterId = "botapi",
                LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
                Destinations = replicas.Select((url, i) => (url, i)).ToDictionary(d => DestinationId(d.i), d => new DestinationConfig { Address = d.url.ToString() }),
            }]);
        var app = builder.Build();
        var balancer = new WebhookBalancer(app);
        app.MapReverseProxy(proxy => proxy.Use(async (context, next) =>
        {
            await next(context);
            if (context.Features.Get<IReverseProxyFeature>()?.ProxiedDestination is { } destination)
            {
                balancer._forwarded.AddOrUpdate(destination.DestinationId, 1, (_, n) => n + 1);
            }
        }));
        await app.StartAsync();
        balancer.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return balancer;
    }

    private static string DestinationId(int replica) => $"replica-{replica}";

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
