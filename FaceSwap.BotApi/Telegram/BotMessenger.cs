using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace FaceSwap.BotApi.Telegram;

/// <summary>
/// What the bot says in chats, sent within Telegram's rate limits. A chat Telegram will not deliver to (the user blocked
/// the bot) surfaces as <see cref="ChatUnreachableException"/>, so callers stop retrying it.
/// </summary>
public sealed class BotMessenger(ITelegramBotClient bot, TelegramSendGate gate)
{
    /// <summary>Telegram serves bots files of at most 20 MB through getFile.</summary>
    public const long MaxDownloadBytes = 20 * 1024 * 1024;

    public async Task<Message> SendTextAsync(long chatId, string text, ReplyMarkup? markup = null, CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(chatId, cancellationToken);
        return await ToChatAsync(chatId, () => bot.SendMessage(chatId, text, replyMarkup: markup, cancellationToken: cancellationToken));
    }

    public async Task EditTextAsync(long chatId, int messageId, string text, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(chatId, cancellationToken);
        await ToChatAsync(chatId, () => bot.EditMessageText(chatId, messageId, text, cancellationToken: cancellationToken));
    }

    public async Task<Message> SendPhotoAsync(long chatId, byte[] photo, string caption, ReplyMarkup? markup, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(chatId, cancellationToken);
        using var stream = new MemoryStream(photo, writable: false);
        return await ToChatAsync(chatId, () => bot.SendPhoto(chatId, InputFile.FromStream(stream, "faceswap.jpg"), caption, replyMarkup: markup, cancellationToken: cancellationToken));
    }

    public async Task SendDocumentAsync(long chatId, byte[] file, string fileName, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(chatId, cancellationToken);
        using var stream = new MemoryStream(file, writable: false);
        await ToChatAsync(chatId, () => bot.SendDocument(chatId, InputFile.FromStream(stream, fileName), cancellationToken: cancellationToken));
    }

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

    public Task AnswerCallbackAsync(string callbackQueryId, string? text, CancellationToken cancellationToken) =>
        bot.AnswerCallbackQuery(callbackQueryId, text, cancellationToken: cancellationToken);

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
