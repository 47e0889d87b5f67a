using FaceSwap.Tests.Engine;

namespace FaceSwap.Tests.EndToEnd;

/// <summary>
/// The whole app in its second configuration: the hosted engine, against a local fake of MagicAPI's HTTP contract
/// that fetches the signed input URLs, and Telegram in polling mode (getUpdates, no webhook). Both differ from the main
/// start and neither needs the other's default, so they share one AppHost start (~15 s) instead of paying for two.
/// </summary>
public sealed class MagicApiAppFixture : FaceSwapAppFixture
{
    public FakeMagicApi MagicApi { get; private set; } = null!;

    protected override IEnumerable<string> Settings =>
    [
        "FaceSwap:TelegramMode=polling",
        "FaceSwap:Engine=magicapi",
        "Parameters:magicapi-key=test-magicapi-key",
        $"MagicApi:BaseUrl={MagicApi.ApiBase.AbsoluteUri}/",
        "MagicApi:PollInterval=00:00:00.200",
    ];

    public override async Task InitializeAsync()
    {
        MagicApi = await FakeMagicApi.StartAsync();
        MagicApi.ActLikeTheProvider = true;
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await MagicApi.DisposeAsync();
    }
}
