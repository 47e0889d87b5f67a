using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using FaceSwap.TelegramEmulator.Infrastructure;
using FaceSwap.TelegramEmulator.Media;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Payments;
using Telegram.Bot.Types.ReplyMarkups;

namespace FaceSwap.TelegramEmulator.BotApi;

/// <summary>The emulated Bot API methods, with Telegram's validation rules and error wording.</summary>
public sealed partial class BotMethods
{
    private const int MaxTextLength = 4096;
    private const int MaxCaptionLength = 1024;
    private const long MaxPhotoBytes = 10L * 1024 * 1024;
    private const long MaxUploadBytes = 50L * 1024 * 1024;
    private const long MaxDownloadBytes = 20L * 1024 * 1024;

    private static readonly HashSet<string> ChatActions = new(StringComparer.Ordinal)
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
        "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
    };

    private readonly Dictionary<string, BotMethod> _methods;
    private readonly ChatStore _chats;
    private readonly UpdateQueue _updates;
    private readonly FileStore _files;
    private readonly PhotoService _photos;
    private readonly RateLimiter _limiter;
    private readonly IHttpClientFactory _httpClientFactory;

    public BotMethods(ChatStore chats, UpdateQueue updates, FileStore files, PhotoService photos, RateLimiter limiter, IHttpClientFactory httpClientFactory)
    {
        _chats = chats;
        _updates = updates;
        _files = files;
        _photos = photos;
        _limiter = limiter;
        _httpClientFactory = httpClientFactory;
        _methods = new(StringComparer.OrdinalIgnoreCase)
        {
            ["getMe"] = (_, _) => Task.FromResult<object>(_chats.Bot),
            ["setWebhook"] = Sync(SetWebhook),
            ["deleteWebhook"] = Sync(DeleteWebhook),
            ["getWebhookInfo"] = (_, _) => Task.FromResult<object>(_updates.GetWebhookInfo()),
            ["getUpdates"] = GetUpdatesAsync,
            ["sendMessage"] = Sync(SendMessage),
            ["sendPhoto"] = SendPhotoAsync,
            ["sendDocument"] = SendDocumentAsync,
            ["sendMediaGroup"] = SendMediaGroupAsync,
            ["sendChatAction"] = Sync(SendChatAction),
            ["editMessageText"] = Sync(EditMessageText),
            ["editMessageCaption"] = Sync(EditMessageCaption),
            ["editMessageReplyMarkup"] = Sync(EditMessageReplyMarkup),
            ["deleteMessage"] = Sync(DeleteMessage),
            ["answerCallbackQuery"] = Sync(AnswerCallbackQuery),
            ["getFile"] = Sync(GetFile),
            ["sendInvoice"] = Sync(SendInvoice),
            ["createInvoiceLink"] = Sync(CreateInvoiceLink),
            ["answerPreCheckoutQuery"] = Sync(AnswerPreCheckoutQuery),
            ["refundStarPayment"] = Sync(RefundStarPayment),
            ["setMyCommands"] = Sync(SetMyCommands),
            ["getMyCommands"] = (_, _) => Task.FromResult<object>(_chats.GetCommands()),
            ["deleteMyCommands"] = Sync(_ => { _chats.SetCommands([]); return true; }),
        };
    }

    public BotMethod? Find(string method) => _methods.GetValueOrDefault(method);

    private static BotMethod Sync(Func<BotParameters, object> method) => (p, _) => Task.FromResult(method(p));

    // ---- updates ----

    private object SetWebhook(BotParameters p)
    {
        var url = p.GetString("url");
        if (string.IsNullOrEmpty(url))
        {
            _updates.DeleteWebhook(p.GetBool("drop_pending_updates"));
            return true;
        }

        // Telegram insists on HTTPS and ports 443/80/88/8443; a local emulator must accept plain HTTP on any port.
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw BotApiException.BadRequest("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443");
        }

        var secret = p.GetString("secret_token");
        if (secret is not null && !SecretTokenPattern().IsMatch(secret))
        {
            throw BotApiException.BadRequest("secret token contains unallowed characters");
        }

        var maxConnections = (int)(p.GetLong("max_connections") ?? 40);
        if (maxConnections is < 1 or > 100)
        {
            throw BotApiException.BadRequest("bad webhook: invalid max_connections specified");
        }

        _updates.SetWebhook(new WebhookSettings(url, secret, maxConnections, p.GetStringArray("allowed_updates") ?? []), p.GetBool("drop_pending_updates"));
        return true;
    }

    private object DeleteWebhook(BotParameters p)
    {
        _updates.DeleteWebhook(p.GetBool("drop_pending_updates"));
        return true;
    }

    private async Task<object> GetUpdatesAsync(BotParameters p, CancellationToken cancellationToken)
    {
        var limit = (int)Math.Clamp(p.GetLong("limit") ?? 100, 1, 100);
        var timeout = TimeSpan.FromSeconds(Math.Max(0, p.GetLong("timeout") ?? 0));
        var offset = p.GetLong("offset") is { } o ? (int?)o : null;
        return await _updates.GetUpdatesAsync(offset, limit, timeout, p.GetStringArray("allowed_updates"), cancellationToken).ConfigureAwait(false);
    }

    // ---- sending ----

    private object SendMessage(BotParameters p)
    {
        var chatId = ResolveChat(p);
        var (text, entities) = ReadText(p);
        var (markup, raw) = ReadReplyMarkup(p);
        var replyTo = ReadReplyTo(p);
        _limiter.Acquire(chatId.ToString(CultureInfo.InvariantCulture), 1);
        return _chats.AddBotMessage(chatId, "sendMessage", m =>
        {
            m.Text = text;
            m.Entities = entities;
            m.ReplyMarkup = markup;
        }, raw, replyTo: replyTo);
    }

    private async Task<object> SendPhotoAsync(BotParameters p, CancellationToken cancellationToken)
    {
        var chatId = ResolveChat(p);
        var (caption, captionEntities) = ReadCaption(p);
        var (markup, raw) = ReadReplyMarkup(p);
        var sizes = await ReadPhotoAsync(p, "photo", p.GetString("photo"), cancellationToken).ConfigureAwait(false);
        var replyTo = ReadReplyTo(p);
        _limiter.Acquire(chatId.ToString(CultureInfo.InvariantCulture), 1);
        return _chats.AddBotMessage(chatId, "sendPhoto", m =>
        {
            m.Photo = sizes;
            m.Caption = caption;
            m.CaptionEntities = captionEntities;
            m.ReplyMarkup = markup;
        }, raw, replyTo: replyTo);
    }

    private async Task<object> SendDocumentAsync(BotParameters p, CancellationToken cancellationToken)
    {
        var chatId = ResolveChat(p);
        var (caption, captionEntities) = ReadCaption(p);
        var (markup, raw) = ReadReplyMarkup(p);
        var document = await ReadDocumentAsync(p, "document", p.GetString("document"), cancellationToken).ConfigureAwait(false);
        _limiter.Acquire(chatId.ToString(CultureInfo.InvariantCulture), 1);
        return _chats.AddBotMessage(chatId, "sendDocument", m =>
        {
            m.Document = document;
            m.Caption = caption;
            m.CaptionEntities = captionEntities;
            m.ReplyMarkup = markup;
        }, raw);
    }

    private async Task<object> SendMediaGroupAsync(BotParameters p, CancellationToken cancellationToken)
    {
        var chatId = ResolveChat(p);
        var media = p.GetJson("media") ?? throw BotApiException.BadRequest("parameter \"media\" is required");
        if (media.ValueKind != JsonValueKind.Array)
        {
            throw BotApiException.BadRequest("can't parse media JSON object");
        }

        var items = media.EnumerateArray().ToArray();
        if (items.Length is < 2 or > 10)
        {
            throw BotApiException.BadRequest("wrong number of media in the group: must include 2-10 items");
        }

        var mediaGroupId = RandomNumber();
        var fills = new List<Action<Message>>();
        foreach (var item in items)
        {
            var type = item.TryGetProperty("type", out var t) ? t.GetString() : null;
            var reference = item.TryGetProperty("media", out var r) ? r.GetString() : null;
            var (caption, captionEntities) = FormatCaption(
                item.TryGetProperty("caption", out var c) ? c.GetString() : null,
                item.TryGetProperty("parse_mode", out var mode) ? mode.GetString() : null,
                item.TryGetProperty("caption_entities", out var given) ? given.Deserialize<MessageEntity[]>(BotJson.Options) : null);

            switch (type)
            {
                case "photo":
                    var sizes = await ReadPhotoAsync(p, "media", reference, cancellationToken).ConfigureAwait(false);
                    fills.Add(m => { m.Photo = sizes; m.Caption = caption; m.CaptionEntities = captionEntities; m.MediaGroupId = mediaGroupId; });
                    break;
                case "document":
                    var document = await ReadDocumentAsync(p, "media", reference, cancellationToken).ConfigureAwait(false);
                    fills.Add(m => { m.Document = document; m.Caption = caption; m.CaptionEntities = captionEntities; m.MediaGroupId = mediaGroupId; });
                    break;
                default:
                    throw BotApiException.BadRequest("unsupported media type in the emulator: only photo and document");
            }
        }

        _limiter.Acquire(chatId.ToString(CultureInfo.InvariantCulture), fills.Count);
        return _chats.AddBotMessages(chatId, "sendMediaGroup", fills);
    }

    private object SendChatAction(BotParameters p)
    {
        var chatId = ResolveChat(p);
        var action = p.RequireString("action", "action is empty");
        if (!ChatActions.Contains(action))
        {
            throw BotApiException.BadRequest("wrong parameter action in request");
        }

        _chats.RecordChatAction(chatId, action);
        return true;
    }

    // ---- editing ----

    private object EditMessageText(BotParameters p)
    {
        RejectInlineMessages(p);
        var chatId = ResolveChat(p);
        var messageId = p.RequireLong("message_id");
        var (text, entities) = ReadText(p);

        var (markup, raw) = ReadReplyMarkup(p);
        _limiter.Acquire(chatId.ToString(CultureInfo.InvariantCulture), 1);
        return _chats.EditBotMessage(chatId, messageId, m =>
        {
            if (m.Text is null)
            {
                throw BotApiException.BadRequest("there is no text in the message to edit");
            }

            var changed = m.Text != text || !SameMarkup(m.ReplyMarkup, markup);
            m.Text = text;
            m.Entities = entities;
            m.ReplyMarkup = markup;
            return changed;
        }, raw, replaceMarkup: true);
    }

    private object EditMessageCaption(BotParameters p)
    {
        RejectInlineMessages(p);
        var chatId = ResolveChat(p);
        var messageId = p.RequireLong("message_id");
        var (caption, captionEntities) = ReadCaption(p);
        var (markup, raw) = ReadReplyMarkup(p);
        _limiter.Acquire(chatId.ToString(CultureInfo.InvariantCulture), 1);
        return _chats.EditBotMessage(chatId, messageId, m =>
        {
            if (m.Photo is null && m.Document is null)
            {
                throw BotApiException.BadRequest("there is no caption in the message to edit");
            }

            var changed = m.Caption != caption || !SameMarkup(m.ReplyMarkup, markup);
            m.Caption = caption;
            m.CaptionEntities = captionEntities;
            m.ReplyMarkup = markup;
            return changed;
        }, raw, replaceMarkup: true);
    }

    private object EditMessageReplyMarkup(BotParameters p)
    {
        RejectInlineMessages(p);
        var chatId = ResolveChat(p);
        var messageId = p.RequireLong("message_id");
        var (markup, raw) = ReadReplyMarkup(p);
        _limiter.Acquire(chatId.ToString(CultureInfo.InvariantCulture), 1);
        return _chats.EditBotMessage(chatId, messageId, m =>
        {
            var changed = !SameMarkup(m.ReplyMarkup, markup);
            m.ReplyMarkup = markup;
            return changed;
        }, raw, replaceMarkup: true);
    }

    private object DeleteMessage(BotParameters p)
    {
        var chatId = ResolveChat(p);
        _chats.DeleteMessage(chatId, p.RequireLong("message_id"));
        return true;
    }

    private object AnswerCallbackQuery(BotParameters p)
    {
        var text = p.GetString("text");
        if (text?.Length > 200)
        {
            throw BotApiException.BadRequest("MESSAGE_TOO_LONG");
        }

        _chats.AnswerCallback(p.RequireString("callback_query_id"), text, p.GetBool("show_alert"), p.GetString("url"));
        return true;
    }

    // ---- files ----

    private object GetFile(BotParameters p)
    {
        var fileId = p.RequireString("file_id");
        var file = _files.Find(fileId) ?? throw BotApiException.BadRequest("invalid file_id");
        if (file.Size > MaxDownloadBytes)
        {
            throw BotApiException.BadRequest("file is too big");
        }

        return new TGFile { FileId = file.FileId, FileUniqueId = file.FileUniqueId, FileSize = file.Size, FilePath = file.FilePath };
    }

    // ---- payments (Telegram Stars only) ----

    private object SendInvoice(BotParameters p)
    {
        var chatId = ResolveChat(p);
        var (invoice, details) = ReadInvoice(p);
        var (markup, raw) = ReadReplyMarkup(p);
        _limiter.Acquire(chatId.ToString(CultureInfo.InvariantCulture), 1);
        return _chats.AddBotMessage(chatId, "sendInvoice", m =>
        {
            m.Invoice = invoice;
            m.ReplyMarkup = markup;
        }, raw, details);
    }

    private object CreateInvoiceLink(BotParameters p)
    {
        ReadInvoice(p);
        return "https://t.me/$" + FileStore.RandomToken(22);
    }

    private object AnswerPreCheckoutQuery(BotParameters p)
    {
        var id = p.RequireString("pre_checkout_query_id");
        if (!p.Has("ok"))
        {
            throw BotApiException.Empty("ok");
        }

        var ok = p.GetBool("ok");
        var error = p.GetString("error_message");
        if (!ok && string.IsNullOrWhiteSpace(error))
        {
            throw BotApiException.BadRequest("error_message is empty");
        }

        _chats.AnswerPreCheckout(id, ok, error);
        return true;
    }

    private object RefundStarPayment(BotParameters p)
    {
        var userId = p.RequireLong("user_id");
        _chats.Refund(userId, p.RequireString("telegram_payment_charge_id"));
        return true;
    }

    private object SetMyCommands(BotParameters p)
    {
        var commands = p.GetObject<BotCommand[]>("commands") ?? throw BotApiException.Empty("commands");
        if (commands.Length > 100 || commands.Any(c => !CommandPattern().IsMatch(c.Command ?? string.Empty) || string.IsNullOrWhiteSpace(c.Description) || c.Description.Length > 256))
        {
            throw BotApiException.BadRequest("BOT_COMMAND_INVALID");
        }

        _chats.SetCommands(commands);
        return true;
    }

    // ---- helpers ----

    private long ResolveChat(BotParameters p)
    {
        var raw = p.GetString("chat_id");
        if (string.IsNullOrEmpty(raw))
        {
            throw BotApiException.Empty("chat_id");
        }

        // Simulated users have no public usernames, so "@name" never resolves.
        if (!long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var chatId))
        {
            throw BotApiException.ChatNotFound();
        }

        // Before any other check, so a blocked user's chat answers 403 whatever else is wrong with the call.
        _chats.EnsureReachable(chatId);
        return chatId;
    }

    /// <summary>reply_parameters.message_id (or the older reply_to_message_id), if the bot replies to a message.</summary>
    private static long? ReadReplyTo(BotParameters p) =>
        p.GetJson("reply_parameters") is { ValueKind: JsonValueKind.Object } reply && reply.TryGetProperty("message_id", out var id) && id.TryGetInt64(out var messageId)
            ? messageId
            : p.GetLong("reply_to_message_id");

    private static void RejectInlineMessages(BotParameters p)
    {
        if (p.Has("inline_message_id"))
        {
            throw BotApiException.BadRequest("MESSAGE_ID_INVALID");
        }
    }

    /// <summary>text + parse_mode (or explicit entities), checked as Telegram does after parsing.</summary>
    private static (string Text, MessageEntity[]? Entities) ReadText(BotParameters p)
    {
        var source = p.GetString("text");
        if (string.IsNullOrWhiteSpace(source))
        {
            throw BotApiException.BadRequest("message text is empty");
        }

        var explicitEntities = p.GetObject<MessageEntity[]>("entities");
        var (text, entities) = explicitEntities is null ? TextFormatting.Parse(source, p.GetString("parse_mode")) : (source, explicitEntities);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw BotApiException.BadRequest("message text is empty");
        }

        return text.Length > MaxTextLength ? throw BotApiException.BadRequest("message is too long") : (text, entities);
    }

    private static (string? Caption, MessageEntity[]? Entities) ReadCaption(BotParameters p) =>
        FormatCaption(p.GetString("caption"), p.GetString("parse_mode"), p.GetObject<MessageEntity[]>("caption_entities"));

    private static (string? Caption, MessageEntity[]? Entities) FormatCaption(string? source, string? parseMode, MessageEntity[]? explicitEntities)
    {
        if (string.IsNullOrEmpty(source))
        {
            return (null, null);
        }

        var (caption, entities) = explicitEntities is null ? TextFormatting.Parse(source, parseMode) : (source, explicitEntities);
        return caption.Length > MaxCaptionLength ? throw BotApiException.BadRequest("message caption is too long") : (caption, entities);
    }

    /// <summary>
    /// reply_markup may be any of the four keyboard kinds; only an inline keyboard is part of the Message,
    /// but the raw markup is kept for the transcript so tests can see reply keyboards too.
    /// </summary>
    private static (InlineKeyboardMarkup? Inline, JsonElement? Raw) ReadReplyMarkup(BotParameters p)
    {
        var raw = p.GetJson("reply_markup");
        if (raw is null)
        {
            return (null, null);
        }

        if (raw.Value.ValueKind != JsonValueKind.Object)
        {
            throw BotApiException.BadRequest("can't parse reply keyboard markup JSON object");
        }

        if (!raw.Value.TryGetProperty("inline_keyboard", out _))
        {
            return (null, raw);
        }

        var markup = p.GetObject<InlineKeyboardMarkup>("reply_markup")!;
        foreach (var button in markup.InlineKeyboard.SelectMany(row => row))
        {
            if (string.IsNullOrEmpty(button.Text))
            {
                throw BotApiException.BadRequest("text buttons are unallowed in the inline keyboard");
            }

            if (button.CallbackData is { } data && System.Text.Encoding.UTF8.GetByteCount(data) > 64)
            {
                throw BotApiException.BadRequest("BUTTON_DATA_INVALID");
            }
        }

        return (markup, raw);
    }

    private static bool SameMarkup(InlineKeyboardMarkup? a, InlineKeyboardMarkup? b) =>
        JsonSerializer.Serialize(a, BotJson.Options) == JsonSerializer.Serialize(b, BotJson.Options);

    private static (Invoice Invoice, InvoiceDetails Details) ReadInvoice(BotParameters p)
    {
        var title = p.RequireString("title");
        var description = p.RequireString("description");
        var payload = p.RequireString("payload");
        var currency = p.RequireString("currency");
        if (title.Length > 32)
        {
            throw BotApiException.BadRequest("TITLE_INVALID");
        }

        if (description.Length > 255)
        {
            throw BotApiException.BadRequest("DESCRIPTION_INVALID");
        }

        if (System.Text.Encoding.UTF8.GetByteCount(payload) > 128)
        {
            throw BotApiException.BadRequest("INVOICE_PAYLOAD_INVALID");
        }

        // Only Telegram Stars can be emulated: other currencies need a real payment provider.
        if (currency != "XTR" || !string.IsNullOrEmpty(p.GetString("provider_token")))
        {
            throw BotApiException.BadRequest("PAYMENT_PROVIDER_INVALID");
        }

        var prices = p.GetObject<LabeledPrice[]>("prices") ?? throw BotApiException.Empty("prices");
        if (prices.Length != 1 || prices[0].Amount <= 0)
        {
            throw BotApiException.BadRequest("CURRENCY_TOTAL_AMOUNT_INVALID");
        }

        var total = prices[0].Amount;
        return (
            new Invoice { Title = title, Description = description, StartParameter = p.GetString("start_parameter") ?? string.Empty, Currency = currency, TotalAmount = (int)total },
            new InvoiceDetails(payload, currency, total));
    }

    private async Task<PhotoSize[]> ReadPhotoAsync(BotParameters p, string name, string? reference, CancellationToken cancellationToken)
    {
        if (reference is not null && !reference.StartsWith("attach://", StringComparison.Ordinal) && _files.FindPhotoSet(reference) is { } existing)
        {
            return existing;
        }

        var input = await ReadInputAsync(p, name, reference, cancellationToken).ConfigureAwait(false);
        if (input.Bytes.LongLength > MaxPhotoBytes)
        {
            throw BotApiException.BadRequest("file is too big");
        }

        if (!PhotoService.TryReadDimensions(input.Bytes, out var width, out var height))
        {
            throw BotApiException.BadRequest("IMAGE_PROCESS_FAILED");
        }

        if (width + height > 10_000 || Math.Max(width, height) > 20 * Math.Min(width, height))
        {
            throw BotApiException.BadRequest("PHOTO_INVALID_DIMENSIONS");
        }

        return _photos.StorePhoto(input.Bytes) ?? throw BotApiException.BadRequest("IMAGE_PROCESS_FAILED");
    }

    private async Task<Document> ReadDocumentAsync(BotParameters p, string name, string? reference, CancellationToken cancellationToken)
    {
        var input = await ReadInputAsync(p, name, reference, cancellationToken).ConfigureAwait(false);
        if (input.Existing is { } existing)
        {
            return new Document { FileId = existing.FileId, FileUniqueId = existing.FileUniqueId, FileSize = existing.Size, FileName = existing.FileName, MimeType = existing.MimeType };
        }

        return _photos.StoreDocument(input.Bytes, input.FileName, input.ContentType);
    }

    /// <summary>An InputFile: an upload (by field name or attach://name), a known file_id, or an HTTP URL.</summary>
    private async Task<InputBytes> ReadInputAsync(BotParameters p, string name, string? reference, CancellationToken cancellationToken)
    {
        var upload = reference is not null && reference.StartsWith("attach://", StringComparison.Ordinal)
            ? p.GetFile(reference["attach://".Length..])
            : p.GetFile(name);
        if (upload is not null)
        {
            if (upload.Length > MaxUploadBytes)
            {
                throw new BotApiException(413, "Request Entity Too Large");
            }

            using var buffer = new MemoryStream();
            await upload.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return new InputBytes(buffer.ToArray(), upload.FileName, upload.ContentType, null);
        }

        if (string.IsNullOrEmpty(reference))
        {
            throw BotApiException.BadRequest($"there is no {name} in the request");
        }

        if (Uri.TryCreate(reference, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            try
            {
                var client = _httpClientFactory.CreateClient("downloads");
                var bytes = await client.GetByteArrayAsync(uri, cancellationToken).ConfigureAwait(false);
                return new InputBytes(bytes, Path.GetFileName(uri.AbsolutePath), null, null);
            }
            catch (HttpRequestException)
            {
                throw BotApiException.BadRequest("wrong file identifier/HTTP URL specified");
            }
        }

        var file = _files.Find(reference) ?? throw BotApiException.BadRequest("wrong file identifier/HTTP URL specified");
        return new InputBytes(file.Bytes, file.FileName, file.MimeType, file);
    }

    private static string RandomNumber() =>
        System.Security.Cryptography.RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue).ToString(CultureInfo.InvariantCulture) + "0";

    private sealed record InputBytes(byte[] Bytes, string? FileName, string? ContentType, StoredFile? Existing);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,256}$")]
    private static partial Regex SecretTokenPattern();

    [GeneratedRegex("^[a-z0-9_]{1,32}$")]
    private static partial Regex CommandPattern();
}
