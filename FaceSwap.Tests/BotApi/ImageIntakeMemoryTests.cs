using FaceSwap.Tests.EndToEnd;
using FaceSwap.Tests.Emulator;
using FaceSwap.Tests.Support;
using Xunit.Abstractions;

namespace FaceSwap.Tests.BotApi;

/// <summary>
/// The bot API's own executable, as its container runs it, receives 6300x6300 PNGs (39.7 MP, under Images:MaxPixels)
/// sent as files by several users at once, the upload that once raised its memory by 1 GB. Its peak resident memory
/// (VmHWM, read from /proc) may grow by less than one whole decode of one of them (6300 x 6300 x 4 = 159 MB) over the
/// peak that the same traffic with photos under the engine size left. A whole decode alone would cross that line.
/// </summary>
public sealed class ImageIntakeMemoryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Side = 6300;
    private const long OneWholeDecode = (long)Side * Side * 4;
    private static readonly TimeSpan Reply = TimeSpan.FromSeconds(120);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "faceswap-intake-memory-" + Guid.NewGuid().ToString("N")[..8]);
    private RedisServer _redis = null!;
    private EmulatorHost _emulator = null!;
    private ServiceProcess _botApi = null!;
    private EmulatorClient _users = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _redis = await RedisServer.StartAsync();
        _emulator = EmulatorHost.Start();
        _users = new EmulatorClient(_emulator.Http);
        var botApiUrl = new Uri($"http://127.0.0.1:{RedisServer.FreePort()}");
        var settings = ServiceProcess.BotApiSettings(botApiUrl, _emulator, _redis, Path.Combine(_directory, "faceswap.db"), "intake-memory-secret");
        // One decode at a time: the peak then does not depend on how the four decodes happen to overlap.
        settings["Images__DecodesInParallel"] = "1";
        _botApi = ServiceProcess.Start("FaceSwap.BotApi", settings);
        await _botApi.WaitHealthyAsync(new Uri(botApiUrl, "/health"), TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await _botApi.DisposeAsync();
        await _emulator.DisposeAsync();
        await _redis.DisposeAsync();
        ServiceProcess.DeleteDirectory(_directory);
    }

    [Fact]
    public async Task Four_6300_by_6300_pngs_at_once_raise_peak_memory_by_less_than_one_whole_decode()
    {
        long[] users = [7101, 7102, 7103, 7104];
        var huge = Tiles(Side);
        long[] warmUpUsers = [7201, 7202, 7203, 7204];
        foreach (var user in users.Concat(warmUpUsers))
        {
            await _users.AskAsync(user, "/start", Reply);
            await _users.AcceptTermsAsync(user);
        }

        // The same traffic with photos under the engine size first: the peak it leaves (JIT, pools, the GC's room to
        // grow, Redis writes) is the baseline, so what comes on top is the cost of the size.
        var small = Tiles(1900);
        await Task.WhenAll(warmUpUsers.Select(user => _users.SendPhotoAsync(user, small, "small.png", asDocument: true)));
        foreach (var user in warmUpUsers)
        {
            await WaitForFaceReceivedAsync(user);
        }

        var before = PeakResidentBytes();

        await Task.WhenAll(users.Select(user => _users.SendPhotoAsync(user, huge, "huge.png", asDocument: true)));
        foreach (var user in users)
        {
            await WaitForFaceReceivedAsync(user);
        }

        var growth = PeakResidentBytes() - before;
        output.WriteLine($"PNG {huge.Length / 1024} KB; peak RSS before {before / 1048576} MB, growth {growth / 1048576} MB; one whole decode is {OneWholeDecode / 1048576} MB");
        Assert.True(growth < OneWholeDecode,
            $"four {Side}x{Side} PNGs raised the bot API's peak memory by {growth / 1048576} MB, more than one whole decode ({OneWholeDecode / 1048576} MB)");
    }

    /// <summary>Flat 64-pixel tiles: they compress like the screenshots of the incident (about a megabyte at 6300 px).</summary>
    private static byte[] Tiles(int side) => ImageIntakePngWriter.Write(side, side, ImageIntakePngWriter.Rgb, 8,
        ImageIntakePngWriter.RgbRows(side, (x, y) => ((byte)(x / 64 * 2), (byte)(y / 64 * 2), 128)));

    private async Task WaitForFaceReceivedAsync(long user) =>
        await _users.WaitForBotMessageAsync(user, m => EmulatorClient.Text(m)?.StartsWith("Got the face", StringComparison.Ordinal) == true, Reply);

    /// <summary>The bot API's peak resident set size so far (VmHWM).</summary>
    private long PeakResidentBytes()
    {
        var line = File.ReadLines($"/proc/{_botApi.ProcessId}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
