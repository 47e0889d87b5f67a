namespace FaceSwap.BotApi.Conversation.Commands;

/// <summary>A command as typed: "/Name@BotName argument text" gives Name "/name" and Argument "argument text".</summary>
public sealed record CommandText(string Name, string? Argument)
{
    /// <summary>The command in a message's text; null when the text is not a command (does not start with '/').</summary>
    public static CommandText? Parse(string? text)
    {
        if (text is null || !text.StartsWith('/'))
        {
            return null;
        }

        var parts = text.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // In a private chat every "/cmd@SomeBot" is addressed to this bot, so the name after '@' is not checked.
        return new(parts[0].Split('@')[0].ToLowerInvariant(), parts.Length > 1 ? parts[1] : null);
    }
}
