using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaceSwap.Tests.Support;

namespace FaceSwap.Tests.Operations;

/// <summary>The processor's <c>/ops</c> endpoints, through the real processor process (Production environment).</summary>
public sealed class ProcessorOpsApiTests
{
    private const string OpsKey = "processor-ops-key-3b9d1f";

    [Fact]
    public async Task Drain_needs_the_key_makes_readiness_unhealthy_and_resume_makes_it_ready_again()
    {
        await using var redis = await RedisServer.StartAsync();
        var url = new Uri($"http://127.0.0.1:{RedisServer.FreePort()}");
        await using var processor = ServiceProcess.Start("FaceSwap.Processor", new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = url.ToString(),
            ["ConnectionStrings__redis"] = redis.ConnectionString,
            ["Ops__ApiKey"] = OpsKey,
        });
        await processor.WaitHealthyAsync(new Uri(url, "/health"), TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = url };

        var anonymous = await http.PostAsync("/ops/drain", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
        // The processor's errors are ProblemDetails too (ServiceDefaults' UseHttpHardening), the framework's 404 included.
        using var notFound = await http.GetAsync("/ops/no-such-action");
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal("application/problem+json", notFound.Content.Headers.ContentType?.MediaType);
        Assert.Equal(404, (await notFound.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);

        var drained = await http.SendAsync(WithKey("/ops/drain"));
        Assert.Equal(HttpStatusCode.OK, drained.StatusCode);
        var state = await drained.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(state.GetProperty("draining").GetBoolean());
        Assert.True(state.GetProperty("drained").GetBoolean());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/health")).StatusCode);

        var resumed = await http.SendAsync(WithKey("/ops/resume"));
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        Assert.False((await resumed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("draining").GetBoolean());
        await processor.WaitHealthyAsync(new Uri(url, "/health"), TimeSpan.FromSeconds(30));
    }

    private static HttpRequestMessage WithKey(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add("X-Ops-Key", OpsKey);
        return request;
    }
}
