using FaceSwap.BotApi.Data;
using FaceSwap.BotApi.Telegram;
using Microsoft.Extensions.Options;
using Telegram.Bot.Types;

namespace FaceSwap.BotApi.Conversation;

/// <summary>The terms of use: shown with an accept button; until the current version is accepted no photo is processed.</summary>
public sealed class TermsOfUse(BotMessenger messenger, IOptions<TermsOptions> options, TimeProvider time)
{
    public string Version => options.Value.Version;

    public bool HasAccepted(BotUser user) => user.TermsVersion == Version;

    /// <summary>
    /// The terms, with the accept button unless this user already accepted them, after <paramref name="lead"/> in the
    /// same message (one message, so what the user reads and what they accept arrive together).
    /// </summary>
    public Task<Message> SendAsync(BotUser user, BotTexts texts, string? lead, CancellationToken cancellationToken) =>
        messenger.SendTextAsync(user.ChatId, lead is null ? texts.Format("Terms", Version) : lead + "\n\n" + texts.Format("Terms", Version),
            HasAccepted(user) ? null : ConversationKeyboards.AcceptTerms(texts, Version), cancellationToken);

    /// <summary>
    /// Records acceptance of <paramref name="version"/> (saved with the context's changes). False when the button
    /// was for an older version: the user must see and accept the current text.
    /// </summary>
    public bool Accept(BotUser user, string version)
    {
        if (version != Version)
        {
            return false;
        }

        if (!HasAccepted(user))
        {
            user.TermsVersion = version;
            user.TermsAcceptedAt = time.GetUtcNow();
        }

        return true;
    }
}
