using System.Globalization;
using System.Resources;

namespace FaceSwap.BotApi.Conversation;

/// <summary>
/// The bot's words, from BotTexts.resx (English) and its translations (BotTexts.ru.resx, BotTexts.es.resx);
/// the user's Telegram language picks the translation, English fills any gap.
/// </summary>
public sealed class BotTexts
{
    private static readonly ResourceManager Resources = new("FaceSwap.BotApi.Conversation.BotTexts", typeof(BotTexts).Assembly);

    private readonly CultureInfo _culture;

    public BotTexts(string? languageCode) => _culture = CultureFor(languageCode);

    public static BotTexts English { get; } = new("en");

    public string this[string key] => Resources.GetString(key, _culture)
        ?? throw new KeyNotFoundException($"No bot text named '{key}'.");

    public string Format(string key, params object?[] args) => string.Format(_culture, this[key], args);

    private static CultureInfo CultureFor(string? languageCode)
    {
        try
        {
            return string.IsNullOrWhiteSpace(languageCode) ? CultureInfo.InvariantCulture : CultureInfo.GetCultureInfo(languageCode);
        }
        catch (CultureNotFoundException)
        {
            return CultureInfo.InvariantCulture;
        }
    }
}
