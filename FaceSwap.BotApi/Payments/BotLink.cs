using Telegram.Bot;

namespace FaceSwap.BotApi.Payments;

/// <summary>The bot's t.me link (from getMe, asked once): where Checkout returns the buyer by default.</summary>
public sealed class BotLink(IServiceScopeFactory scopeFactory)
{
    private Uri? _link;

    public async Task<Uri> GetAsync(CancellationToken cancellationToken)
    {
        if (_link is null)
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var me = await scope.ServiceProvider.GetRequiredService<ITelegramBotClient>().GetMe(cancellationToken);
            _link = new Uri($"https://t.me/{me.Username}");
        }

        return _link;
    }
}
