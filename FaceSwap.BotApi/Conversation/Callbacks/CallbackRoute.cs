namespace FaceSwap.BotApi.Conversation.Callbacks;

/// <summary>
/// One line of <see cref="CallbackRouter"/>'s table. <paramref name="Handle"/> returns the text to send after the
/// button is answered, or null.
/// </summary>
/// <param name="Data">The callback data, or its start when <paramref name="IsPrefix"/>.</param>
/// <param name="NeedsTerms">The button fetches a photo: nothing is fetched, stored or charged before the terms are accepted.</param>
/// <param name="AnswerFirst">The button is answered before its work, which sends its own messages.</param>
public sealed record CallbackRoute(string Data, bool IsPrefix, Func<CallbackRequest, CancellationToken, Task<string?>> Handle,
    bool NeedsTerms = false, bool AnswerFirst = false)
{
    public bool Matches(string data) => IsPrefix ? data.StartsWith(Data, StringComparison.Ordinal) : data == Data;
}
