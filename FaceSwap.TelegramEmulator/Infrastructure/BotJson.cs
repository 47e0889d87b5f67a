using System.Text.Json;
using Telegram.Bot;

namespace FaceSwap.TelegramEmulator.Infrastructure;

/// <summary>Serialisation with Telegram.Bot's own options, so the JSON is shaped like the real API's.</summary>
public static class BotJson
{
    public static JsonSerializerOptions Options => JsonBotAPI.Options;

    public static JsonElement ToElement<T>(T value) => JsonSerializer.SerializeToElement(value, Options);

    /// <summary>Deep copy: stored Telegram objects are never mutated once published, edits replace them.</summary>
    public static T Clone<T>(T value) where T : class =>
        JsonSerializer.Deserialize<T>(JsonSerializer.SerializeToUtf8Bytes(value, Options), Options)!;
}
