using FaceSwap.Tests.Emulator;
using FaceSwap.Tests.EndToEnd;
using FaceSwap.Tests.Support;
using Xunit.Abstractions;

namespace FaceSwap.Tests.Safety;

/// <summary>
/// What the content-safety gate costs the bot API in memory: its own executable, as its container runs it, takes the
/// same ordinary photos from several users with the gate off and then on; the difference of the resident memory
/// (VmRSS) and of its peak (VmHWM) is the classifier's (the model, ONNX Runtime and its buffers). docs/benchmarks.md
/// "Content safety" quotes the numbers this prints.
/// </summary>
public sealed class ContentSafetyMemoryTests(ITestOutputHelper output)
{
    private const long Bound = 150L * 1024 * 1024;
    private static readonly TimeSpan Reply = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task The_content_Safety_gate_adds_less_than_150_MB_to_the_bot_API()
    {
        var off = await MeasureAsync(enabled: false);
        var on = await MeasureAsync(enabled: true);

        output.WriteLine($"gate off: RSS {off.Resident / 1048576} MB, peak {off.Peak / 1048576} MB; gate on: RSS {on.Resident / 1048576} MB, peak {on.Peak / 1048576} MB; " +
            $"added: RSS {(on.Resident - off.Resident) / 1048576} MB, peak {(on.Peak - off.Peak) / 1048576} MB");
        Assert.True(on.Peak - off.Peak < Bound, $"the gate added {(on.Peak - off.Peak) / 1048576} MB to the bot API's peak memory");
    }

    private static async Task<(long Resident, long Peak)> MeasureAsync(bool enabled)
    {
        var directory = Path.Combine(Path.GetTempPath(), "faceswap-safety-memory-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            await using var redis = await RedisServer.StartAsync();
            await using var emulator = EmulatorHost.Start();
            var url = new Uri($"http://127.0.0.1:{RedisServer.FreePort()}");
            var settings = ServiceProcess.BotApiSettings(url, emulator, redis, Path.Combine(directory, "faceswap.db"), "safety-memory-secret");
            settings["ContentSafety__Enabled"] = enabled ? "true" : "false";
            await using var botApi = ServiceProcess.Start("FaceSwap.BotApi", settings);
            await botApi.WaitHealthyAsync(new Uri(url, "/health"), TimeSpan.FromSeconds(60));
            var users = new EmulatorClient(emulator.Http);
            // Every ordinary photo, each as a new user's face: all of them pass the gate at its defaults. Once each: the
            // peak is reached by the largest photo's first screening, and a second round took ~25 s to add nothing.
            var photos = SafetyTestImages.Ordinary;
            for (var i = 0; i < photos.Length; i++)
            {
                var user = 7700 + i;
                await users.AskAsync(user, "/start", Reply);
                await users.AcceptTermsAsync(user);
                await users.SendPhotoAsync(user, SafetyTestImages.Read(photos[i]), photos[i]);
                await users.WaitForBotMessageAsync(user, m => EmulatorClient.Text(m)?.StartsWith("Got the face", StringComparison.Ordinal) == true, Reply);
            }

            var status = File.ReadAllLines($"/proc/{botApi.ProcessId}/status");
            return (Kilobytes(status, "VmRSS:") * 1024, Kilobytes(status, "VmHWM:") * 1024);
        }
        finally
        {
            ServiceProcess.DeleteDirectory(directory);
        }
    }

    private static long Kilobytes(string[] status, string field) =>
        long.Parse(status.First(l => l.StartsWith(field, StringComparison.Ordinal))[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
}
