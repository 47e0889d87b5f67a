using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace FaceSwap.Benchmarks.Load;

/// <summary>
/// Open-loop load on <c>POST /telegram/webhook</c>: requests start on a fixed schedule (rate per second) whether or not
/// earlier ones have answered, and each latency is measured from the request's scheduled start. wrk's pacing waits for
/// the previous answer on a connection, which hides queueing ("coordinated omission"), and wrk2 is not packaged here.
/// Given several bot API replicas, request i goes to replica i mod n, as a round-robin balancer in front of them would.
/// </summary>
public static class IntakeLoad
{
    /// <param name="botApis">The base URL of each bot API replica; with a path (e.g. <c>/alive</c>), that path is fetched
    /// with GET instead, the bare baseline at the same rate.</param>
    public static async Task<int> RunAsync(IReadOnlyList<Uri> botApis, string secret, int ratePerSecond, TimeSpan duration, long firstUpdateId)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };

        // One second of warm-up at the same rate: connections, JIT and SQLite's page cache.
        await RunScheduleAsync(http, botApis, secret, ratePerSecond, TimeSpan.FromSeconds(1), firstUpdateId);
        var result = await RunScheduleAsync(http, botApis, secret, ratePerSecond, duration, firstUpdateId + ratePerSecond + 1);
        Console.WriteLine(result.ToString());
        return result.Failed == 0 ? 0 : 1;
    }

    public static async Task<LoadResult> RunScheduleAsync(HttpClient http, IReadOnlyList<Uri> botApis, string secret, int ratePerSecond, TimeSpan duration,
        long firstUpdateId)
    {
        var total = (int)(ratePerSecond * duration.TotalSeconds);
        var latencies = new double[total];
        var failures = 0;
        var inFlight = new List<Task>(total);
        var interval = Stopwatch.Frequency / (double)ratePerSecond;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            var due = start + (long)(i * interval);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            var index = i;
            inFlight.Add(Task.Run(async () =>
            {
                try
                {
                    var botApi = botApis[index % botApis.Count];
                    using var response = await http.SendAsync(botApi.AbsolutePath == "/"
                        ? Request(botApi, secret, firstUpdateId + index)
                        : new HttpRequestMessage(HttpMethod.Get, botApi));
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failures);
                }
                catch (TaskCanceledException)
                {
                    Interlocked.Increment(ref failures);
                }

                latencies[index] = Stopwatch.GetElapsedTime(due).TotalMilliseconds;
            }));
        }

        await Task.WhenAll(inFlight);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Array.Sort(latencies);
        return new LoadResult(total, failures, total / elapsed, Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies[^1]);
    }

    /// <summary>An edited message: stored and acknowledged without a call to Telegram, so the run measures intake.</summary>
    private static HttpRequestMessage Request(Uri botApi, string secret, long updateId)
    {
        var chat = 1000 + (updateId % 500);
        var body = string.Create(CultureInfo.InvariantCulture,
            $$$"""{"update_id":{{{updateId}}},"edited_message":{"message_id":{{{updateId % 1_000_000}}},"date":1700000000,"edit_date":1700000001,"chat":{"id":{{{chat}}},"type":"private","first_name":"Load"},"from":{"id":{{{chat}}},"is_bot":false,"first_name":"Load"},"text":"load test"}}""");
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(botApi, "/telegram/webhook")) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        return request;
    }

    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Length - 1, Math.Round(p * (sorted.Length - 1)))];
}
