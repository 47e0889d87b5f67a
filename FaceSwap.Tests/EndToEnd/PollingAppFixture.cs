namespace FaceSwap.Tests.EndToEnd;

/// <summary>The same app with BotApi long-polling the emulator instead of receiving webhooks.</summary>
public sealed class PollingAppFixture : FaceSwapAppFixture
{
    protected override IEnumerable<string> Settings => ["FaceSwap:TelegramMode=polling"];
}
