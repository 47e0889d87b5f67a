using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace FaceSwap.TelegramEmulator.Infrastructure;

/// <summary>
/// Serialisation with Telegram.Bot's own options, so the JSON is shaped like the real API's.
/// One correction: Telegram.Bot omits every false boolean (WhenWritingDefault), but the real API always
/// sends its required booleans, e.g. <c>"is_bot": false</c>. Those few are forced back in here.
/// </summary>
public static class BotJson
{
    // The required booleans of the types the emulator emits (Bot API spec: "required": true, type Boolean).
    private static readonly HashSet<(Type, string)> RequiredBooleans =
    [
        (typeof(User), "is_bot"),
        (typeof(Sticker), "is_animated"),
        (typeof(Sticker), "is_video"),
        (typeof(WebhookInfo), "has_custom_certificate"),
    ];

    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static JsonElement ToElement<T>(T value) => JsonSerializer.SerializeToElement(value, Options);

    /// <summary>Deep copy: stored Telegram objects are never mutated once published, edits replace them.</summary>
    public static T Clone<T>(T value) where T : class =>
        JsonSerializer.Deserialize<T>(JsonSerializer.SerializeToUtf8Bytes(value, Options), Options)!;

    private static JsonSerializerOptions CreateOptions()
    {
        var resolver = (JsonBotAPI.Options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver())
            .WithAddedModifier(typeInfo =>
            {
                foreach (var property in typeInfo.Properties)
                {
                    if (RequiredBooleans.Contains((typeInfo.Type, property.Name)))
                    {
                        property.ShouldSerialize = static (_, _) => true;
                    }
                }
            });
        var options = new JsonSerializerOptions(JsonBotAPI.Options) { TypeInfoResolver = resolver };
        options.MakeReadOnly();
        return options;
    }
}
