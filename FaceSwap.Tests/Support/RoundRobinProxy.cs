using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FaceSwap.Tests.Support;

/// <summary>
/// A loopback load balancer for the replica tests: forwards each request to the next backend in turn, and to the one
/// after when a backend does not answer (killed), as an ingress whose probe found it gone would. Counts what each got.
/// </summary>
public sealed class RoundRobinProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Uri[] _backends;
    private readonly int[] _forwarded;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private int _next = -1;

    private RoundRobinProxy(WebApplication app, Uri[] backends, Uri url)
    {
        _app = app;
        _backends = backends;
        _forwarded = new int[backends.Length];
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>How many requests each backend answered, in the order given.</summary>
    public IReadOnlyList<int> Forwarded => _forwarded.Select(n => Volatile.Read(ref n)).ToList();

    public static async Task<RoundRobinProxy> StartAsync(params Uri[] backends)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        RoundRobinProxy? proxy = null;
        app.Run(context => proxy!.ForwardAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        proxy = new RoundRobinProxy(app, backends, new Uri(address));
        return proxy;
    }

    private async Task ForwardAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        for (var tried = 0; tried < _backends.Length; tried++)
        {
            var index = (int)((uint)Interlocked.Increment(ref _next) % _backends.Length);
            using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method),
                new Uri(_backends[index], context.Request.Path + context.Request.QueryString)) { Content = new ByteArrayContent(body.ToArray()) };
            foreach (var (name, values) in context.Request.Headers)
            {
                if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
                {
                    request.Content.Headers.TryAddWithoutValidation(name, values.ToArray());
                }
                else if (!string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase))
                {
                    request.Headers.TryAddWithoutValidation(name, values.ToArray());
                }
            }

            try
            {
                using var response = await _http.SendAsync(request, context.RequestAborted);
                Interlocked.Increment(ref _forwarded[index]);
                context.Response.StatusCode = (int)response.StatusCode;
                await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
                return;
            }
            catch (HttpRequestException)
            {
                // That backend is down (or died while answering): the next one. The webhook's intake is idempotent.
            }
        }

        context.Response.StatusCode = StatusCodes.Status502BadGateway;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }
}
