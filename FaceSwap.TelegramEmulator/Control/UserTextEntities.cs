using System.Text.RegularExpressions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace FaceSwap.TelegramEmulator.Control;

/// <summary>
/// The entities Telegram detects by itself in what a user types: /commands (anywhere, optionally
/// /command@bot), @mentions, #hashtags and links. Offsets are UTF-16 code units, as in the Bot API.
/// </summary>
public static partial class UserTextEntities
{
    public static MessageEntity[]? Detect(string text)
    {
        var entities = new List<MessageEntity>();
        Add(entities, CommandPattern(), text, MessageEntityType.BotCommand);
        Add(entities, UrlPattern(), text, MessageEntityType.Url);
        Add(entities, MentionPattern(), text, MessageEntityType.Mention);
        Add(entities, HashtagPattern(), text, MessageEntityType.Hashtag);
        return entities.Count == 0 ? null : [.. entities.OrderBy(e => e.Offset)];
    }

    private static void Add(List<MessageEntity> entities, Regex pattern, string text, MessageEntityType type)
    {
        foreach (Match match in pattern.Matches(text))
        {
            // A match inside an earlier entity (e.g. "/path" in a URL) is not an entity of its own.
            if (!entities.Exists(e => match.Index < e.Offset + e.Length && e.Offset < match.Index + match.Length))
            {
                entities.Add(new MessageEntity { Type = type, Offset = match.Index, Length = match.Length });
            }
        }
    }

    [GeneratedRegex(@"(?<![\w/@])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")]
    private static partial Regex CommandPattern();

    [GeneratedRegex(@"\bhttps?://[^\s<>""]+[^\s<>"".,;:!?)\]]")]
    private static partial Regex UrlPattern();

    [GeneratedRegex(@"(?<![\w@])@[A-Za-z0-9_]{5,32}\b")]
    private static partial Regex MentionPattern();

    [GeneratedRegex(@"(?<![\w#])#\w{1,64}")]
    private static partial Regex HashtagPattern();
}
