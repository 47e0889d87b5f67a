using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.Payments;
using Telegram.Bot.Types.ReplyMarkups;

namespace FaceSwap.BotApi.Telegram;

/// <summary>
/// What the bot says in chats, sent within Telegram's rate limits. A chat Telegram will not deliver to (the user blocked
/// the bot) surfaces as <see cref="ChatUnreachableException"/>, so callers stop retrying it. While a stored update is
/// handled, every new message (text, photo, document, invoice) goes out once however often the update is handled
/// (<see cref="SentReplyLog"/>). Edits and chat actions are not recorded: repeating one sets the same text or the same
/// "typing…" again, which the user cannot tell from doing it once.
/// </summary>
public sealed class BotMessenger(ITelegramBotClient bot, TelegramSendGate gate, SentReplyLog replies)
{
    /// <summary>Telegram serves bots files of at most 20 MB through getFile.</summary>
    public const long MaxDownloadBytes = 20 * 1024 * 1024;

    public Task<Message> SendTextAsync(long chatId, string text, ReplyMarkup? markup = null, CancellationToken cancellationToken = default) =>
        SendOnceAsync(chatId, () => bot.SendMessage(chatId, text, replyMarkup: markup, cancellationToken: cancellationToken), cancellationToken);

    public async Task EditTextAsync(long chatId, int messageId, string text, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(chatId, cancellationToken);
        await ToChatAsync(chatId, () => bot.EditMessageText(chatId, messageId, text, cancellationToken: cancellationToken));
    }

    public Task<Message> SendPhotoAsync(long chatId, byte[] photo, string caption, ReplyMarkup? markup, CancellationToken cancellationToken) =>
        SendOnceAsync(chatId, async () =>
        {
            using var stream = new MemoryStream(photo, writable: false);
            return await bot.SendPhoto(chatId, InputFile.FromStream(stream, "faceswap.jpg"), caption, replyMarkup: markup, cancellationToken: cancellationToken);
        }, cancellationToken);

    public Task SendDocumentAsync(long chatId, byte[] file, string fileName, CancellationToken cancellationToken) =>
        SendOnceAsync(chatId, async () =>
        {
            using var stream = new MemoryStream(file, writable: false);
            return await bot.SendDocument(chatId, InputFile.FromStream(stream, fileName), cancellationToken: cancellationToken);
        }, cancellationToken);

    /// <summary>An invoice in Telegram Stars (currency XTR, no provider token); a message like any other, so sent once.</summary>
    public Task SendInvoiceAsync(long chatId, string title, string description, string payload, string currency, LabeledPrice[] prices,
        CancellationToken cancellationToken) =>
        SendOnceAsync(chatId, () => bot.SendInvoice(chatId, title, description, payload, currency, prices, cancellationToken: cancellationToken),
            cancellationToken);

    /// <summary>"typing…" / "sending photo…"; a hint only, so a failure is not worth retrying the update for.</summary>
    public async Task ShowActionAsync(long chatId, ChatAction action, CancellationToken cancellationToken)
    {
        try
        {
            await bot.SendChatAction(chatId, action, cancellationToken: cancellationToken);
        }
        catch (global::Telegram.Bot.Exceptions.ApiRequestException)
        {
            // Chat actions are cosmetic.
        }
    }

    /// <summary>
    /// Stops the button's spinner. Not recorded: Telegram takes one answer per press, so a handling done again (or one
    /// later than Telegram waits) is refused with a 400; the press was answered or has stopped spinning by itself, and
    /// the refusal must not fail the rest of the handling for good.
    /// </summary>
    public async Task AnswerCallbackAsync(string callbackQueryId, string? text, CancellationToken cancellationToken)
    {
        try
        {
            await bot.AnswerCallbackQuery(callbackQueryId, text, cancellationToken: cancellationToken);
        }
        catch (global::Telegram.Bot.Exceptions.ApiRequestException ex) when (ex.ErrorCode == 400 && ex.Message.Contains("query is too old", StringComparison.OrdinalIgnoreCase))
        {
            // answered already, or too late to
        }
    }

    /// <summary>The send, unless an earlier attempt at this update made it already (then what that attempt got back).</summary>
    private async Task<Message> SendOnceAsync(long chatId, Func<Task<Message>> send, CancellationToken cancellationToken)
    {
        // The lookup after the wait, right before the send: a replica that lost the chat's lease while it waited
        // finds what the new holder sent meanwhile.
        await gate.WaitAsync(chatId, cancellationToken);
        var slot = await replies.NextAsync(chatId, cancellationToken);
        if (slot?.Earlier is { } earlier)
        {
            return earlier;
        }

        var sent = await ToChatAsync(chatId, send);
        if (slot is not null)
        {
            await replies.RecordAsync(slot, sent);
        }

        return sent;
    }

    private static async Task<T> ToChatAsync<T>(long chatId, Func<Task<T>> send)
    {
        try
        {
            return await send();
        }
        catch (global::Telegram.Bot.Exceptions.ApiRequestException ex) when (TelegramFailures.IsChatUnreachable(ex))
        {
            throw new ChatUnreachableException(chatId, ex.Message, ex);
        }
    }

    /// <summary>Downloads a file the user sent; null when Telegram says it is larger than bots may fetch.</summary>
    public async Task<byte[]?> DownloadAsync(string fileId, long? knownSize, CancellationToken cancellationToken)
    {
        if (knownSize > MaxDownloadBytes)
        {
            return null;
        }

        var file = await bot.GetFile(fileId, cancellationToken);
        if (file.FileSize > MaxDownloadBytes || file.FilePath is null)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        await bot.DownloadFile(file.FilePath, buffer, cancellationToken);
        return buffer.ToArray();
    }
}
