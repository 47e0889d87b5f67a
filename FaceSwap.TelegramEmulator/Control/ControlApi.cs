using FaceSwap.TelegramEmulator.BotApi;
using FaceSwap.TelegramEmulator.Infrastructure;
using FaceSwap.TelegramEmulator.Media;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace FaceSwap.TelegramEmulator.Control;

/// <summary>
/// The emulator's own API for tests and the chat page: simulated users write to the bot, press
/// buttons and pay; the transcript shows what the bot did.
/// </summary>
public static class ControlApi
{
    public static RouteGroupBuilder MapControlApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/control").WithTags("Control");
        // A request the simulated world cannot carry out (no such chat, a deleted account writing) is a 400, wherever it is found.
        api.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context).ConfigureAwait(false);
            }
            catch (ControlException ex)
            {
                return Problem(ex.Message);
            }
        });

        api.MapGet("/bot", (ChatStore chats) => TypedResults.Ok(new BotView(chats.Bot.Id, chats.Bot.Username!, chats.Bot.FirstName)));
        api.MapGet("/users", (ChatStore chats) => TypedResults.Ok(chats.ListUsers()));
        api.MapPost("/users/{userId:long:min(1)}/text", SendText);
        api.MapPost("/users/{userId:long:min(1)}/photo", SendPhotoAsync);
        api.MapPost("/users/{userId:long:min(1)}/album", SendAlbumAsync);
        api.MapPost("/users/{userId:long:min(1)}/sticker", SendSticker);
        api.MapPost("/users/{userId:long:min(1)}/callback", PressButton);
        api.MapPost("/users/{userId:long:min(1)}/pay", PayAsync);
        api.MapGet("/users/{userId:long:min(1)}", GetUser);
        api.MapPost("/users/{userId:long:min(1)}/block", (long userId, ChatStore chats) => TypedResults.Ok(chats.Block(userId)));
        api.MapPost("/users/{userId:long:min(1)}/unblock", (long userId, ChatStore chats) => TypedResults.Ok(chats.Unblock(userId)));
        api.MapPost("/users/{userId:long:min(1)}/deactivate", (long userId, ChatStore chats) => TypedResults.Ok(chats.Deactivate(userId)));
        api.MapPost("/users/{userId:long:min(1)}/forget", (long userId, ChatStore chats) => TypedResults.Ok(chats.Forget(userId)));
        api.MapPost("/users/{userId:long:min(1)}/reactivate", (long userId, ChatStore chats) => TypedResults.Ok(chats.Reactivate(userId)));
        api.MapGet("/users/{userId:long:min(1)}/messages", (long userId, ChatStore chats) => TypedResults.Ok(chats.GetTranscript(userId)));
        api.MapGet("/users/{userId:long:min(1)}/callback-answers", (long userId, ChatStore chats) => TypedResults.Ok(chats.GetCallbackAnswers(userId)));
        api.MapGet("/users/{userId:long:min(1)}/chat-action", (long userId, ChatStore chats) => TypedResults.Ok(chats.GetChatAction(userId)));
        api.MapGet("/files/{fileId}", GetFile);
        api.MapGet("/state", GetState);
        api.MapGet("/bot-activity", WaitForBotActivityAsync);
        api.MapGet("/faults", (FaultInjector faults) => TypedResults.Ok(faults.List()));
        api.MapPost("/faults", AddFault);
        api.MapDelete("/faults", (FaultInjector faults) =>
        {
            faults.Clear();
            return TypedResults.NoContent();
        });

        return api;
    }

    private static Results<Ok<UserMessageSent>, ProblemHttpResult> SendText(long userId, UserTextRequest request, ChatStore chats)
    {
        if (string.IsNullOrEmpty(request.Text))
        {
            return Problem("text is required.");
        }

        if (request.Text.Length > 4096)
        {
            return Problem("Telegram clients split texts longer than 4096 characters; send at most 4096.");
        }

        var (update, message) = chats.AddUserMessage(userId, request.FirstName, request.LanguageCode, m =>
        {
            m.Text = request.Text;
            m.Entities = UserTextEntities.Detect(request.Text);
        });
        return TypedResults.Ok(new UserMessageSent(update.Id, message.Id));
    }

    private static async Task<Results<Ok<UserFileSent>, ProblemHttpResult>> SendPhotoAsync(
        long userId, HttpRequest request, ChatStore chats, PhotoService photos, IOptions<EmulatorOptions> options)
    {
        if (!request.HasFormContentType)
        {
            return Problem("Send multipart/form-data with a 'file' field.");
        }

        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        var file = form.Files.GetFile("file");
        if (file is null || file.Length == 0)
        {
            return Problem("The form has no 'file'.");
        }

        if (file.Length > options.Value.MaxUserUploadBytes)
        {
            return Problem($"The file is larger than {options.Value.MaxUserUploadBytes} bytes.");
        }

        var bytes = await ReadAllAsync(file, request.HttpContext.RequestAborted).ConfigureAwait(false);
        var caption = NullIfEmpty(form["caption"]);
        var firstName = NullIfEmpty(form["firstName"]);
        var asDocument = bool.TryParse(form["asDocument"], out var flag) && flag;

        if (asDocument)
        {
            // A document can be any file, as in Telegram: bots must cope with PDFs and the like.
            var document = photos.StoreDocument(bytes, file.FileName, file.ContentType);
            var (update, message) = chats.AddUserMessage(userId, firstName, null, m =>
            {
                m.Document = document;
                m.Caption = caption;
            });
            return TypedResults.Ok(new UserFileSent(update.Id, message.Id, document.FileId));
        }

        var sizes = photos.StorePhoto(bytes);
        if (sizes is null)
        {
            return Problem("The file is not an image that can be sent as a photo.");
        }

        var (photoUpdate, photoMessage) = chats.AddUserMessage(userId, firstName, null, m =>
        {
            m.Photo = sizes;
            m.Caption = caption;
        });
        return TypedResults.Ok(new UserFileSent(photoUpdate.Id, photoMessage.Id, sizes[^1].FileId));
    }

    private static async Task<Results<Ok<AlbumSent>, ProblemHttpResult>> SendAlbumAsync(
        long userId, HttpRequest request, ChatStore chats, PhotoService photos, IOptions<EmulatorOptions> options)
    {
        if (!request.HasFormContentType)
        {
            return Problem("Send multipart/form-data with several 'files' fields.");
        }

        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        var files = form.Files.GetFiles("files");
        if (files.Count is < 2 or > 10)
        {
            return Problem("An album has 2 to 10 photos in 'files' fields.");
        }

        var albums = new List<PhotoSize[]>();
        foreach (var file in files)
        {
            if (file.Length > options.Value.MaxUserUploadBytes)
            {
                return Problem($"{file.FileName} is larger than {options.Value.MaxUserUploadBytes} bytes.");
            }

            var sizes = photos.StorePhoto(await ReadAllAsync(file, request.HttpContext.RequestAborted).ConfigureAwait(false));
            if (sizes is null)
            {
                return Problem($"{file.FileName} is not an image.");
            }

            albums.Add(sizes);
        }

        var caption = NullIfEmpty(form["caption"]);
        var mediaGroupId = System.Security.Cryptography.RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture) + "1";
        var updateIds = new List<long>();
        var messageIds = new List<long>();
        for (var i = 0; i < albums.Count; i++)
        {
            var sizes = albums[i];
            var first = i == 0;
            var (update, message) = chats.AddUserMessage(userId, NullIfEmpty(form["firstName"]), null, m =>
            {
                m.Photo = sizes;
                m.MediaGroupId = mediaGroupId;
                m.Caption = first ? caption : null; // Telegram puts an album's caption on its first item.
            });
            updateIds.Add(update.Id);
            messageIds.Add(message.Id);
        }

        return TypedResults.Ok(new AlbumSent(updateIds, messageIds));
    }

    private static Ok<UserMessageSent> SendSticker(long userId, ChatStore chats, PhotoService photos, string? emoji = null)
    {
        var sticker = photos.StoreSticker(string.IsNullOrEmpty(emoji) ? "😀" : emoji);
        var (update, message) = chats.AddUserMessage(userId, null, null, m => m.Sticker = sticker);
        return TypedResults.Ok(new UserMessageSent(update.Id, message.Id));
    }

    private static Results<Ok<CallbackSent>, ProblemHttpResult> PressButton(long userId, CallbackRequest request, ChatStore chats)
    {
        if (string.IsNullOrEmpty(request.Data))
        {
            return Problem("data is required: the callback_data of one of the message's buttons.");
        }

        try
        {
            var (update, id) = chats.AddCallback(userId, request.MessageId, request.Data);
            return TypedResults.Ok(new CallbackSent(update.Id, id));
        }
        catch (ControlException ex)
        {
            return Problem(ex.Message);
        }
    }

    /// <summary>
    /// The Stars checkout as Telegram runs it: pre_checkout_query, then up to PreCheckoutTimeout for the
    /// bot's answer, then successful_payment only if it said ok.
    /// </summary>
    private static async Task<Results<Ok<PayResult>, ProblemHttpResult>> PayAsync(
        long userId, PayRequest request, ChatStore chats, IOptions<EmulatorOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        Task<PreCheckoutAnswer> answerTask;
        string queryId;
        InvoiceDetails invoice;
        try
        {
            (_, queryId, answerTask, invoice) = chats.StartPreCheckout(userId, request.MessageId);
        }
        catch (ControlException ex)
        {
            return Problem(ex.Message);
        }

        PreCheckoutAnswer answer;
        try
        {
            answer = await answerTask.WaitAsync(options.Value.PreCheckoutTimeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            chats.ExpirePreCheckout(queryId);
            return TypedResults.Ok(new PayResult("timeout"));
        }
        finally
        {
            if (cancellationToken.IsCancellationRequested)
            {
                chats.ExpirePreCheckout(queryId);
            }
        }

        if (!answer.Ok)
        {
            return TypedResults.Ok(new PayResult("declined", ErrorMessage: answer.ErrorMessage));
        }

        var (_, _, chargeId) = chats.CompletePayment(userId, invoice);
        return TypedResults.Ok(new PayResult("paid", ChargeId: chargeId));
    }

    private static Results<Ok<UserSummary>, NotFound> GetUser(long userId, ChatStore chats) =>
        chats.FindUser(userId) is { } user ? TypedResults.Ok(user) : TypedResults.NotFound();

    private static Results<FileContentHttpResult, NotFound> GetFile(string fileId, FileStore files)
    {
        var file = files.Find(fileId);
        return file is null
            ? TypedResults.NotFound()
            : TypedResults.File(file.Bytes, file.MimeType, file.FileName ?? Path.GetFileName(file.FilePath));
    }

    /// <summary>
    /// A long poll for tests and scripts: answers once the bot has done something to any chat since version
    /// <paramref name="after"/> (or at once without it), else after <paramref name="waitMs"/> (at most 30 s).
    /// </summary>
    private static async Task<Ok<BotActivityView>> WaitForBotActivityAsync(ChatStore chats, CancellationToken cancellationToken, long? after = null, int waitMs = 1000)
    {
        var version = after is { } seen
            ? await chats.WaitForBotActivityAsync(seen, TimeSpan.FromMilliseconds(Math.Clamp(waitMs, 0, 30_000)), cancellationToken)
            : chats.BotActivityVersion;
        return TypedResults.Ok(new BotActivityView(version));
    }

    private static Ok<EmulatorStateView> GetState(UpdateQueue updates)
    {
        var state = updates.GetState();
        return TypedResults.Ok(new EmulatorStateView(state.WebhookUrl, state.PendingUpdates, state.DeliveredUpdates, state.LastError, state.LastErrorDate, state.WaitingPolls));
    }

    private static Results<Ok<FaultRule>, ProblemHttpResult> AddFault(FaultRequest request, FaultInjector faults)
    {
        if (request.StatusCode is < 400 or > 599)
        {
            return Problem("statusCode must be an HTTP error status (400-599).");
        }

        if (request.StatusCode is null && request.DelayMs is null && !request.Lost)
        {
            return Problem("Give statusCode (fail), delayMs (answer late), lost (take effect, drop the answer), or delayMs with one of the others.");
        }

        if (request.StatusCode is not null && request.Lost)
        {
            return Problem("A call either fails (statusCode) or takes effect and loses its answer (lost), not both.");
        }

        if (request.DelayMs is < 0 or > 600_000)
        {
            return Problem("delayMs must be between 0 and 600000.");
        }

        if (request.Count < 1)
        {
            return Problem("count must be at least 1.");
        }

        var rule = new FaultRule(string.IsNullOrEmpty(request.Method) ? null : request.Method, request.StatusCode, request.Count, request.RetryAfter,
            request.ChatId, request.DelayMs, request.Lost);
        faults.Add(rule);
        return TypedResults.Ok(rule);
    }

    private static async Task<byte[]> ReadAllAsync(IFormFile file, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static string? NullIfEmpty(Microsoft.Extensions.Primitives.StringValues value) =>
        string.IsNullOrEmpty(value) ? null : value.ToString();

    private static ProblemHttpResult Problem(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad control request");
}
