using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using FaceSwap.BotApi.Operations.Backups;
using Microsoft.Extensions.DependencyInjection;

namespace FaceSwap.Tests.EndToEnd;

/// <summary>The dashboard's operator commands, executed through the AppHost's command service against the whole app.</summary>
[Collection(FaceSwapAppCollection.Name)]
public sealed class OperatorCommandsEndToEndTests(FaceSwapAppFixture app)
{
    private async Task<ExecuteCommandResult> RunAsync(string resource, string command)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        return await app.App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resource, command, timeout.Token);
    }

    [Fact]
    public async Task Back_up_now_writes_a_verified_snapshot_into_the_apps_backup_folder()
    {
        var result = await RunAsync("botapi", "backup-now");

        Assert.True(result.Success, result.Message);
        var fileName = result.Message!.Split(' ')[1].TrimEnd(':');
        var file = Path.Combine(app.DataDirectory, "botapi", "backups", fileName);
        Assert.Equal("ok", await SqliteBackup.VerifyAsync(file, CancellationToken.None));
        Assert.Contains("verified True", result.Message);
    }

    [Fact]
    public async Task Intake_pause_resume_webhook_and_replay_commands_report_what_they_did()
    {
        var paused = await RunAsync("botapi", "pause-intake");
        Assert.True(paused.Success, paused.Message);
        using (var http = app.App.CreateHttpClient("botapi"))
        {
            Assert.Contains("true", await http.GetStringAsync("/ops/intake"));
            var resumed = await RunAsync("botapi", "resume-intake");
            Assert.True(resumed.Success, resumed.Message);
            Assert.Contains("false", await http.GetStringAsync("/ops/intake"));
        }

        var webhook = await RunAsync("botapi", "register-webhook");
        Assert.True(webhook.Success, webhook.Message);
        Assert.EndsWith("/telegram/webhook", webhook.Message);

        var replay = await RunAsync("botapi", "replay-dead-letters");
        Assert.True(replay.Success, replay.Message);
        Assert.StartsWith("0 given-up updates replayed", replay.Message);
    }

    [Fact]
    public async Task Drain_makes_the_processor_unready_and_resume_makes_it_take_jobs_again()
    {
        using var http = app.App.CreateHttpClient("processor");
        try
        {
            var drained = await RunAsync("processor", "drain");
            Assert.True(drained.Success, drained.Message);
            Assert.StartsWith("Drained", drained.Message);
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/health")).StatusCode);
        }
        finally
        {
            var resumed = await RunAsync("processor", "resume");
            Assert.True(resumed.Success, resumed.Message);
        }

        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
    }
}
