namespace FaceSwap.BotApi.Web;

/// <summary>What <see cref="TelegramLoginVerifier"/> made of the widget's fields: the login, or why it was refused.</summary>
public sealed record TelegramLoginCheck(TelegramLogin? Login, string? Refusal)
{
    public static TelegramLoginCheck Passed(TelegramLogin login) => new(login, null);

    public static TelegramLoginCheck Refused(string refusal) => new(null, refusal);
}
