using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace FaceSwap.Benchmarks;

/// <summary>
/// What users feel: simulated users send a face photo and a target photo through the Telegram emulator and wait
/// for the result photo. First sequential swaps (latency), then several users at once (throughput).
/// </summary>
public static class EndToEndLoad
{
    public static async Task<int> RunAsync(Uri emulator, int swaps, int concurrentUsers)
    {
        using var http = new HttpClient { BaseAddress = emulator, Timeout = TimeSpan.FromSeconds(60) };
        var face = BenchmarkImages.Read("grace_hopper.jpg");
        var target = BenchmarkImages.Read("astronaut.png");

        await SwapAsync(http, 90_000, face, target); // warm-up: models, JIT, connections
        var latencies = new List<double>();
        for (var i = 0; i < swaps; i++)
        {
            latencies.Add(await SwapAsync(http, 90_001 + i % 20, face, target));
        }

        latencies.Sort();
        Console.WriteLine($"end to end, {swaps} sequential swaps: p50 {Percentile(latencies, 0.5):F0} ms, p95 {Percentile(latencies, 0.95):F0} ms, max {latencies[^1]:F0} ms");

        var perUser = Math.Max(1, swaps / concurrentUsers);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrentUsers).Select(async user =>
        {
            for (var i = 0; i < perUser; i++)
            {
                await SwapAsync(http, 91_000 + user, face, target);
            }
        }));
        var perMinute = concurrentUsers * perUser / clock.Elapsed.TotalMinutes;
        Console.WriteLine($"throughput, {concurrentUsers} users x {perUser} swaps: {perMinute:F0} swaps/minute ({clock.Elapsed.TotalSeconds:F1} s)");
        return 0;
    }

    /// <summary>Face, then target; returns the milliseconds from sending the target to the result photo's arrival.</summary>
    private static async Task<double> SwapAsync(HttpClient http, long userId, byte[] face, byte[] target)
    {
        var photosBefore = await CountPhotosAsync(http, userId);
        var facesBefore = await CountAsync(http, userId, IsFaceReceived);
        await SendPhotoAsync(http, userId, face, "face.jpg");
        while (await CountAsync(http, userId, IsFaceReceived) == facesBefore)
        {
            await Task.Delay(10);
        }

        var started = Stopwatch.GetTimestamp();
        await SendPhotoAsync(http, userId, target, "target.png");
        while (await CountPhotosAsync(http, userId) == photosBefore)
        {
            await Task.Delay(10);
            if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"No result for user {userId} in 60 s.");
            }
        }

        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static async Task SendPhotoAsync(HttpClient http, long userId, byte[] image, string name)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue(name.EndsWith(".png", StringComparison.Ordinal) ? "image/png" : "image/jpeg");
        form.Add(file, "file", name);
        form.Add(new StringContent("true"), "asDocument");
        (await http.PostAsync($"/control/users/{userId}/photo", form)).EnsureSuccessStatusCode();
    }

    private static async Task<JsonElement[]> BotMessagesAsync(HttpClient http, long userId) =>
        (await http.GetFromJsonAsync<JsonElement[]>($"/control/users/{userId}/messages"))!.Where(m => m.GetProperty("fromBot").GetBoolean()).ToArray();

    private static async Task<int> CountPhotosAsync(HttpClient http, long userId) =>
        (await BotMessagesAsync(http, userId)).Count(m => m.TryGetProperty("photoFileId", out var id) && id.ValueKind == JsonValueKind.String);

    private static bool IsFaceReceived(JsonElement message) => Text(message)?.StartsWith("Got the face", StringComparison.Ordinal) == true;

    private static async Task<int> CountAsync(HttpClient http, long userId, Func<JsonElement, bool> match) =>
        (await BotMessagesAsync(http, userId)).Count(match);

    private static string? Text(JsonElement message) =>
        message.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Min(sorted.Count - 1, Math.Round(p * (sorted.Count - 1)))];
}
