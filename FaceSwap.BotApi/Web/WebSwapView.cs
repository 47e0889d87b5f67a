namespace FaceSwap.BotApi.Web;

/// <summary>
/// A web swap as the page sees it. <paramref name="ResultUrl"/> is a signed, expiring <c>/media</c> URL while the result
/// is kept; <paramref name="Failure"/> says why it failed in the user's words, as the chat would.
/// </summary>
public sealed record WebSwapView(string Id, string Status, DateTimeOffset CreatedAt, string? ResultUrl, string? Failure, string? AiLabel,
    bool SentToChat);
