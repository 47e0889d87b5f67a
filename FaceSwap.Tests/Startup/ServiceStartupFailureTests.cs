using System.Diagnostics;
using FaceSwap.Tests.Support;

namespace FaceSwap.Tests.Startup;

/// <summary>A service whose settings cannot work stops at once with one line naming the setting, not a stack trace.</summary>
public sealed class ServiceStartupFailureTests
{
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_processor_with_a_missing_model_file_stops_in_seconds_naming_the_path_and_its_setting()
    {
        const string missing = "/nonexistent/face_detection.onnx";
        var clock = Stopwatch.StartNew();
        await using var processor = ServiceProcess.Start("FaceSwap.Processor", new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            // Never reached: the models are checked before anything connects.
            ["ConnectionStrings__redis"] = "127.0.0.1:1",
            ["FaceSwap__Local__DetectorModelPath"] = missing,
        });

        var exitCode = await processor.WaitForExitAsync(Quickly);

        Assert.Equal(1, exitCode);
        var lastLine = processor.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.StartsWith("FaceSwap.Processor cannot start: a setting is invalid: ", lastLine, StringComparison.Ordinal);
        Assert.Contains($"the BlazeFace detector model was not found at '{missing}' (FaceSwap:Local:DetectorModelPath)", lastLine, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < Quickly, $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_processor_without_a_redis_connection_string_stops_in_seconds_naming_the_setting()
    {
        var clock = Stopwatch.StartNew();
        await using var processor = ServiceProcess.Start("FaceSwap.Processor", new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["ConnectionStrings__redis"] = "",
        });

        var exitCode = await processor.WaitForExitAsync(Quickly);

        Assert.Equal(1, exitCode);
        var lastLine = processor.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.StartsWith("FaceSwap.Processor cannot start: ", lastLine, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:redis is not set: give it as the environment variable ConnectionStrings__redis", lastLine, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < Quickly, $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task An_emulator_with_a_malformed_bot_token_stops_in_seconds_naming_the_setting()
    {
        // As its own process: in-process (WebApplicationFactory) a failed start surfaced now the validation error, now
        // an ObjectDisposedException from the host it had already disposed.
        var clock = Stopwatch.StartNew();
        await using var emulator = ServiceProcess.Start("FaceSwap.TelegramEmulator", new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["Emulator__BotToken"] = "not-a-token",
        });

        var exitCode = await emulator.WaitForExitAsync(Quickly);

        Assert.Equal(1, exitCode);
        var lastLine = emulator.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.StartsWith("FaceSwap.TelegramEmulator cannot start: a setting is invalid: ", lastLine, StringComparison.Ordinal);
        Assert.Contains("BotToken", lastLine, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < Quickly, $"took {clock.Elapsed}");
    }
}
