using System.Net;
using System.Text;
using FaceSwap.TelegramEmulator.Infrastructure;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace FaceSwap.TelegramEmulator.BotApi;

/// <summary>
/// Turns text with a parse_mode into plain text plus entities, and rejects what Telegram rejects
/// ("can't parse entities: ..."), because unescaped MarkdownV2 characters and broken HTML are the most
/// common way a bot's message fails in production. Hand-written: no library reproduces Telegram's
/// parser; this covers the documented syntax, not every corner of it.
/// </summary>
public static class TextFormatting
{
    private const string MarkdownV2Reserved = "_*[]()~`>#+-=|{}.!";

    public static (string Text, MessageEntity[]? Entities) Parse(string text, string? parseMode)
    {
        var mode = parseMode?.Trim();
        if (string.IsNullOrEmpty(mode))
        {
            return (text, null);
        }

        var (plain, entities) = mode.ToUpperInvariant() switch
        {
            "HTML" => ParseHtml(text),
            "MARKDOWNV2" => ParseMarkdown(text, v2: true),
            "MARKDOWN" => ParseMarkdown(text, v2: false),
            _ => throw BotApiException.BadRequest("unsupported parse_mode"),
        };
        var sorted = entities.Where(e => e.Length > 0).OrderBy(e => e.Offset).ThenByDescending(e => e.Length).ToArray();
        return (plain, sorted.Length == 0 ? null : sorted);
    }

    private static BotApiException CantParse(string detail) => BotApiException.BadRequest("can't parse entities: " + detail);

    private static int ByteOffset(string text, int index) => Encoding.UTF8.GetByteCount(text.AsSpan(0, index));

    // ---- HTML ----

    private static (string, List<MessageEntity>) ParseHtml(string text)
    {
        var plain = new StringBuilder();
        var entities = new List<MessageEntity>();
        var open = new Stack<(string Name, int Start, MessageEntity Entity, bool Keep)>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '<')
            {
                var end = text.IndexOf('>', i);
                if (end < 0)
                {
                    throw CantParse($"Unclosed start tag at byte offset {ByteOffset(text, i)}");
                }

                var tag = text[(i + 1)..end].Trim();
                if (tag.StartsWith('/'))
                {
                    var name = tag[1..].Trim().ToLowerInvariant();
                    if (open.Count == 0)
                    {
                        throw CantParse($"Unexpected end tag at byte offset {ByteOffset(text, i)}");
                    }

                    var top = open.Pop();
                    if (top.Name != name)
                    {
                        throw CantParse($"Unmatched end tag at byte offset {ByteOffset(text, i)}, expected \"</{top.Name}>\", found \"</{name}>\"");
                    }

                    if (top.Keep)
                    {
                        top.Entity.Offset = top.Start;
                        top.Entity.Length = plain.Length - top.Start;
                        entities.Add(top.Entity);
                    }
                }
                else
                {
                    var nameEnd = tag.IndexOfAny([' ', '\t', '\n', '/']);
                    var name = (nameEnd < 0 ? tag : tag[..nameEnd]).ToLowerInvariant();
                    var attributes = nameEnd < 0 ? string.Empty : tag[nameEnd..];
                    var parent = open.Count > 0 ? open.Peek().Entity : null;
                    var entity = HtmlEntity(name, attributes, parent)
                        ?? throw CantParse($"Unsupported start tag \"{name}\" at byte offset {ByteOffset(text, i)}");
                    // <pre><code class="language-x"> only names the pre block's language.
                    open.Push((name, plain.Length, entity, Keep: !ReferenceEquals(entity, parent)));
                }

                i = end + 1;
            }
            else if (c == '&')
            {
                var semicolon = text.IndexOf(';', i);
                var decoded = semicolon > i && semicolon - i <= 10 ? WebUtility.HtmlDecode(text[i..(semicolon + 1)]) : null;
                if (decoded is not null && decoded != text[i..(semicolon + 1)])
                {
                    plain.Append(decoded);
                    i = semicolon + 1;
                }
                else
                {
                    plain.Append(c);
                    i++;
                }
            }
            else
            {
                plain.Append(c);
                i++;
            }
        }

        if (open.Count > 0)
        {
            throw CantParse($"Can't find end tag corresponding to start tag \"{open.Peek().Name}\"");
        }

        return (plain.ToString(), entities);
    }

    private static MessageEntity? HtmlEntity(string name, string attributes, MessageEntity? parent) => name switch
    {
        "b" or "strong" => new MessageEntity { Type = MessageEntityType.Bold },
        "i" or "em" => new MessageEntity { Type = MessageEntityType.Italic },
        "u" or "ins" => new MessageEntity { Type = MessageEntityType.Underline },
        "s" or "strike" or "del" => new MessageEntity { Type = MessageEntityType.Strikethrough },
        "tg-spoiler" => new MessageEntity { Type = MessageEntityType.Spoiler },
        "span" when Attribute(attributes, "class") == "tg-spoiler" => new MessageEntity { Type = MessageEntityType.Spoiler },
        "a" => new MessageEntity { Type = MessageEntityType.TextLink, Url = Attribute(attributes, "href") ?? string.Empty },
        "code" when parent is { Type: MessageEntityType.Pre } => SetLanguage(parent, Attribute(attributes, "class")),
        "code" => new MessageEntity { Type = MessageEntityType.Code },
        "pre" => new MessageEntity { Type = MessageEntityType.Pre },
        "blockquote" => new MessageEntity { Type = attributes.Contains("expandable", StringComparison.OrdinalIgnoreCase) ? MessageEntityType.ExpandableBlockquote : MessageEntityType.Blockquote },
        "tg-emoji" => new MessageEntity { Type = MessageEntityType.CustomEmoji, CustomEmojiId = Attribute(attributes, "emoji-id") },
        _ => null,
    };

    private static MessageEntity SetLanguage(MessageEntity pre, string? cssClass)
    {
        if (cssClass?.StartsWith("language-", StringComparison.Ordinal) == true)
        {
            pre.Language = cssClass["language-".Length..];
        }

        return pre;
    }

    private static string? Attribute(string attributes, string name)
    {
        var at = attributes.IndexOf(name + "=", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        var rest = attributes[(at + name.Length + 1)..].TrimStart();
        if (rest.Length == 0)
        {
            return string.Empty;
        }

        if (rest[0] is '"' or '\'')
        {
            var close = rest.IndexOf(rest[0], 1);
            return WebUtility.HtmlDecode(close < 0 ? rest[1..] : rest[1..close]);
        }

        var stop = rest.IndexOfAny([' ', '\t', '/']);
        return WebUtility.HtmlDecode(stop < 0 ? rest : rest[..stop]);
    }

    // ---- Markdown and MarkdownV2 ----

    private static (string, List<MessageEntity>) ParseMarkdown(string text, bool v2)
    {
        var plain = new StringBuilder();
        var entities = new List<MessageEntity>();
        var open = new List<(string Marker, int Start, int SourceIndex)>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length && (v2 ? text[i + 1] < 127 : "_*`[".Contains(text[i + 1], StringComparison.Ordinal)))
            {
                plain.Append(text[i + 1]);
                i += 2;
                continue;
            }

            if (c == '`')
            {
                var isPre = string.CompareOrdinal(text, i, "```", 0, 3) == 0;
                var fence = isPre ? "```" : "`";
                var close = FindUnescaped(text, fence, i + fence.Length, v2);
                if (close < 0)
                {
                    throw Unclosed(text, i, isPre ? "Pre" : "Code", v2);
                }

                var body = text[(i + fence.Length)..close];
                string? language = null;
                if (isPre && body.IndexOf('\n', StringComparison.Ordinal) is var newline and > 0 && !body[..newline].Contains(' ', StringComparison.Ordinal))
                {
                    language = body[..newline];
                    body = body[(newline + 1)..];
                }

                var content = v2 ? Unescape(body) : body;
                entities.Add(new MessageEntity { Type = isPre ? MessageEntityType.Pre : MessageEntityType.Code, Offset = plain.Length, Length = content.Length, Language = language });
                plain.Append(content);
                i = close + fence.Length;
                continue;
            }

            if (c == '[')
            {
                open.Add(("[", plain.Length, i));
                i++;
                continue;
            }

            if (c == ']' && open.FindLastIndex(o => o.Marker == "[") is var linkIndex and >= 0)
            {
                if (i + 1 >= text.Length || text[i + 1] != '(')
                {
                    if (v2)
                    {
                        throw CantParse("Character ']' is reserved and must be escaped with the preceding '\\'");
                    }

                    plain.Append(c);
                    i++;
                    continue;
                }

                var urlEnd = FindUnescaped(text, ")", i + 2, v2);
                if (urlEnd < 0)
                {
                    throw CantParse($"Can't find end of a URL at byte offset {ByteOffset(text, i + 2)}");
                }

                var start = open[linkIndex].Start;
                open.RemoveAt(linkIndex);
                entities.Add(new MessageEntity { Type = MessageEntityType.TextLink, Offset = start, Length = plain.Length - start, Url = v2 ? Unescape(text[(i + 2)..urlEnd]) : text[(i + 2)..urlEnd] });
                i = urlEnd + 1;
                continue;
            }

            var marker = MarkerAt(text, i, v2);
            if (marker is not null)
            {
                var existing = open.FindLastIndex(o => o.Marker == marker);
                if (existing >= 0)
                {
                    var start = open[existing].Start;
                    open.RemoveAt(existing);
                    entities.Add(new MessageEntity { Type = MarkerType(marker), Offset = start, Length = plain.Length - start });
                }
                else
                {
                    open.Add((marker, plain.Length, i));
                }

                i += marker.Length;
                continue;
            }

            if (v2 && c == '>' && (i == 0 || text[i - 1] == '\n'))
            {
                // A quote line: the rest of the line is a blockquote.
                var lineEnd = text.IndexOf('\n', i);
                var line = lineEnd < 0 ? text[(i + 1)..] : text[(i + 1)..lineEnd];
                var (quoted, inner) = ParseMarkdown(line, v2: true);
                foreach (var entity in inner)
                {
                    entity.Offset += plain.Length;
                    entities.Add(entity);
                }

                entities.Add(new MessageEntity { Type = MessageEntityType.Blockquote, Offset = plain.Length, Length = quoted.Length });
                plain.Append(quoted);
                i = lineEnd < 0 ? text.Length : lineEnd;
                continue;
            }

            if (v2 && MarkdownV2Reserved.Contains(c, StringComparison.Ordinal))
            {
                throw CantParse($"Character '{c}' is reserved and must be escaped with the preceding '\\'");
            }

            plain.Append(c);
            i++;
        }

        if (open.Count > 0)
        {
            var first = open[0];
            throw Unclosed(text, first.SourceIndex, first.Marker == "[" ? "TextUrl" : MarkerType(first.Marker).ToString(), v2);
        }

        return (plain.ToString(), entities);
    }

    private static string? MarkerAt(string text, int i, bool v2)
    {
        var c = text[i];
        var next = i + 1 < text.Length ? text[i + 1] : '\0';
        return c switch
        {
            '*' => "*",
            '_' when v2 && next == '_' => "__",
            '_' => "_",
            '~' when v2 => "~",
            '|' when v2 && next == '|' => "||",
            _ => null,
        };
    }

    private static MessageEntityType MarkerType(string marker) => marker switch
    {
        "*" => MessageEntityType.Bold,
        "_" => MessageEntityType.Italic,
        "__" => MessageEntityType.Underline,
        "~" => MessageEntityType.Strikethrough,
        _ => MessageEntityType.Spoiler,
    };

    private static BotApiException Unclosed(string text, int index, string kind, bool v2) =>
        v2
            ? CantParse($"Can't find end of {kind} entity at byte offset {ByteOffset(text, index)}")
            : CantParse($"Can't find end of the entity starting at byte offset {ByteOffset(text, index)}");

    private static int FindUnescaped(string text, string value, int from, bool v2)
    {
        for (var i = from; i <= text.Length - value.Length; i++)
        {
            if (v2 && text[i] == '\\')
            {
                i++;
                continue;
            }

            if (string.CompareOrdinal(text, i, value, 0, value.Length) == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Unescape(string value)
    {
        var result = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
            }

            result.Append(value[i]);
        }

        return result.ToString();
    }
}
