using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SkiaSharp;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace FaceSwap.Tests.Emulator;

public sealed class EmulatorBotApiTests
{
    [Fact]
    public async Task GetMe_returns_the_configured_bot_identity()
    {
        await using var host = EmulatorHost.Start();
        var me = await host.Bot().GetMe();

        Assert.True(me.IsBot);
        Assert.Equal(123456789, me.Id);
        Assert.Equal("faceswap_local_bot", me.Username);
    }

    [Fact]
    public async Task A_configured_token_and_username_are_used()
    {
        await using var host = EmulatorHost.Start(new Dictionary<string, string>
        {
            ["Emulator:BotToken"] = "42:another-local-token-1234",
            ["Emulator:BotUsername"] = "other_test_bot",
        });

        var me = await host.Bot("42:another-local-token-1234").GetMe();
        Assert.Equal((42L, "other_test_bot"), (me.Id, me.Username));
        await Assert.ThrowsAsync<ApiRequestException>(() => host.Bot().GetMe());
    }

    [Fact]
    public async Task Wrong_token_is_401_in_telegrams_shape()
    {
        await using var host = EmulatorHost.Start();

        var json = await host.RawBotCallAsync("getMe", token: "987654321:not-the-emulator-token-xxxxxxxxxx");
        Assert.False(json.GetProperty("ok").GetBoolean());
        Assert.Equal(401, json.GetProperty("error_code").GetInt32());
        Assert.Equal("Unauthorized", json.GetProperty("description").GetString());

        var ex = await Assert.ThrowsAsync<ApiRequestException>(() => host.Bot("987654321:not-the-emulator-token-xxxxxxxxxx").GetMe());
        Assert.Equal(401, ex.ErrorCode);
    }

    [Fact]
    public async Task Unknown_method_is_404_and_method_names_ignore_case()
    {
        await using var host = EmulatorHost.Start();

        var json = await host.RawBotCallAsync("fooBar");
        Assert.Equal(404, json.GetProperty("error_code").GetInt32());
        Assert.Equal("Not Found", json.GetProperty("description").GetString());

        var me = await host.RawBotCallAsync("GETME");
        Assert.True(me.GetProperty("ok").GetBoolean());
        Assert.True(me.GetProperty("result").GetProperty("is_bot").GetBoolean());
    }

    [Fact]
    public async Task Get_query_and_form_urlencoded_are_accepted_like_json()
    {
        await using var host = EmulatorHost.Start();
        await host.UserSaysAsync(7001, "hi");

        var viaQuery = await host.Http.GetFromJsonAsync<JsonElement>($"/bot{EmulatorHost.Token}/sendMessage?chat_id=7001&text=from%20query");
        Assert.Equal("from query", viaQuery.GetProperty("result").GetProperty("text").GetString());

        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["chat_id"] = "7001",
            ["text"] = "from form",
            ["reply_markup"] = """{"inline_keyboard":[[{"text":"Go","callback_data":"go"}]]}""",
        });
        var viaForm = await (await host.Http.PostAsync($"/bot{EmulatorHost.Token}/sendmessage", form)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("go", viaForm.GetProperty("result").GetProperty("reply_markup").GetProperty("inline_keyboard")[0][0].GetProperty("callback_data").GetString());
    }

    [Fact]
    public async Task Sending_to_a_chat_that_never_wrote_is_chat_not_found()
    {
        await using var host = EmulatorHost.Start();

        var ex = await Assert.ThrowsAsync<ApiRequestException>(() => host.Bot().SendMessage(424242, "hello?"));
        Assert.Equal(400, ex.ErrorCode);
        Assert.Equal("Bad Request: chat not found", ex.Message);
    }

    [Fact]
    public async Task Empty_and_too_long_texts_are_rejected_with_telegrams_wording()
    {
        await using var host = EmulatorHost.Start();
        await host.UserSaysAsync(7002, "hi");

        var empty = await host.RawBotCallAsync("sendMessage", new { chat_id = 7002 });
        Assert.Equal("Bad Request: message text is empty", empty.GetProperty("description").GetString());

        var ex = await Assert.ThrowsAsync<ApiRequestException>(() => host.Bot().SendMessage(7002, new string('x', 4097)));
        Assert.Equal("Bad Request: message is too long", ex.Message);

        var ok = await host.Bot().SendMessage(7002, new string('x', 4096));
        Assert.Equal(4096, ok.Text!.Length);
    }

    [Fact]
    public async Task Bad_photos_and_missing_parameters_get_telegrams_errors()
    {
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();
        await host.UserSaysAsync(7013, "hi");

        using var huge = new MemoryStream(new byte[(10 * 1024 * 1024) + 1]);
        var tooBig = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendPhoto(7013, InputFile.FromStream(huge, "huge.jpg")));
        Assert.Equal("Bad Request: file is too big", tooBig.Message);

        using var text = new MemoryStream("hello"u8.ToArray());
        var notImage = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendPhoto(7013, InputFile.FromStream(text, "x.jpg")));
        Assert.Equal("Bad Request: IMAGE_PROCESS_FAILED", notImage.Message);

        var noChat = await host.RawBotCallAsync("sendMessage", new { text = "hi" });
        Assert.Equal("Bad Request: chat_id is empty", noChat.GetProperty("description").GetString());
        var noPhoto = await host.RawBotCallAsync("sendPhoto", new { chat_id = 7013 });
        Assert.Equal("Bad Request: there is no photo in the request", noPhoto.GetProperty("description").GetString());
        var badFileId = await host.RawBotCallAsync("getFile", new { file_id = "nope" });
        Assert.Equal("Bad Request: invalid file_id", badFileId.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Sent_messages_and_photos_appear_in_the_transcript()
    {
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();
        await host.UserSaysAsync(7003, "/start", "Ann");

        await bot.SendChatAction(7003, ChatAction.UploadPhoto);
        var keyboard = new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("Again", "again"));
        using var image = new MemoryStream(EmulatorHost.MakeImage(1600, 1200));
        var photo = await bot.SendPhoto(7003, InputFile.FromStream(image, "result.png"), caption: "Your swap", replyMarkup: keyboard);

        Assert.True(photo.Photo!.Length >= 2);
        Assert.Equal(1280, photo.Photo[^1].Width);
        Assert.True(photo.Photo[0].Width < photo.Photo[^1].Width);

        var transcript = await host.TranscriptAsync(7003);
        Assert.Equal(2, transcript.Length);
        Assert.False(transcript[0].GetProperty("fromBot").GetBoolean());
        var sent = transcript[1];
        Assert.True(sent.GetProperty("fromBot").GetBoolean());
        Assert.Equal("sendPhoto", sent.GetProperty("method").GetString());
        Assert.Equal("Your swap", sent.GetProperty("caption").GetString());
        Assert.Equal(["upload_photo"], sent.GetProperty("chatActions").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("again", sent.GetProperty("replyMarkup").GetProperty("inline_keyboard")[0][0].GetProperty("callback_data").GetString());

        var bytes = await host.Http.GetByteArrayAsync($"/control/files/{sent.GetProperty("photoFileId").GetString()}");
        Assert.True(FaceSwap.TelegramEmulator.Media.PhotoService.TryReadDimensions(bytes, out var width, out var height));
        Assert.Equal((1280, 960), (width, height));
    }

    [Fact]
    public async Task Media_groups_and_documents_upload_through_telegram_bot()
    {
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();
        await host.UserSaysAsync(7012, "hi");

        using var a = new MemoryStream(EmulatorHost.MakeImage(500, 400));
        using var b = new MemoryStream(EmulatorHost.MakeImage(400, 500));
        var album = await bot.SendMediaGroup(7012, [
            new InputMediaPhoto(InputFile.FromStream(a, "before.png")) { Caption = "before" },
            new InputMediaPhoto(InputFile.FromStream(b, "after.png")),
        ]);
        Assert.Equal(2, album.Length);
        Assert.Equal(album[0].MediaGroupId, album[1].MediaGroupId);
        Assert.Equal("before", album[0].Caption);

        using var report = new MemoryStream("swap log"u8.ToArray());
        var document = await bot.SendDocument(7012, InputFile.FromStream(report, "log.txt"));
        Assert.Equal("log.txt", document.Document!.FileName);

        // Re-sending by file_id reuses the stored photo, as Telegram does.
        var again = await bot.SendPhoto(7012, InputFile.FromFileId(album[1].Photo![^1].FileId));
        Assert.Equal(album[1].Photo![^1].FileId, again.Photo![^1].FileId);

        var transcript = await host.TranscriptAsync(7012);
        Assert.Equal(["sendMediaGroup", "sendMediaGroup", "sendDocument", "sendPhoto"], transcript.Skip(1).Select(t => t.GetProperty("method").GetString()));
        Assert.Equal(document.Document.FileId, transcript[3].GetProperty("documentFileId").GetString());
    }

    [Fact]
    public async Task User_photo_can_be_fetched_with_getFile_and_downloaded()
    {
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();
        var sent = await host.UserSendsPhotoAsync(7004, EmulatorHost.MakeImage(2000, 1000), caption: "me");

        var updates = await bot.GetUpdates();
        var message = Assert.Single(updates).Message!;
        Assert.Equal("me", message.Caption);
        Assert.Equal(sent.GetProperty("fileId").GetString(), message.Photo![^1].FileId);
        Assert.Equal([90, 320, 800, 1280], message.Photo.Select(p => p.Width));

        var file = await bot.GetFile(message.Photo[^1].FileId);
        using var downloaded = new MemoryStream();
        await bot.DownloadFile(file.FilePath!, downloaded);
        Assert.Equal(file.FileSize, downloaded.Length);
    }

    [Fact]
    public async Task Sideways_phone_photos_arrive_upright()
    {
        await using var host = EmulatorHost.Start();
        // 200x100: left half red, right half blue, stored with EXIF orientation 6 (display rotated 90° clockwise).
        using var bitmap = new SKBitmap(200, 100);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Blue);
            using var red = new SKPaint { Color = SKColors.Red };
            canvas.DrawRect(0, 0, 100, 100, red);
        }

        using var image = SKImage.FromBitmap(bitmap);
        var jpeg = image.Encode(SKEncodedImageFormat.Jpeg, 95).ToArray();
        byte[] exif = [0xFF, 0xE1, 0x00, 0x22, .. "Exif\0\0"u8, .. "MM"u8, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08,
            0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];
        byte[] rotated = [.. jpeg[..2], .. exif, .. jpeg[2..]];

        var sent = await host.UserSendsPhotoAsync(7014, rotated, fileName: "phone.jpg");
        var photo = (await host.Bot().GetUpdates())[0].Message!.Photo![^1];
        Assert.Equal((100, 200), (photo.Width, photo.Height));

        using var result = SKBitmap.Decode(await host.Http.GetByteArrayAsync($"/control/files/{sent.GetProperty("fileId").GetString()}"));
        Assert.True(result.GetPixel(50, 20).Red > 200, "the left (red) half is on top once upright");
        Assert.True(result.GetPixel(50, 180).Blue > 200);
    }

    [Fact]
    public async Task Documents_keep_name_and_mime_type_and_big_files_cannot_be_fetched()
    {
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();
        await host.UserSendsPhotoAsync(7005, EmulatorHost.MakeImage(300, 300), asDocument: true, fileName: "raw.png");
        await host.UserSendsPhotoAsync(7005, new byte[21 * 1024 * 1024], asDocument: true, fileName: "huge.bin");

        var updates = await bot.GetUpdates();
        var document = updates[0].Message!.Document!;
        Assert.Equal("raw.png", document.FileName);
        Assert.Equal("image/png", document.MimeType);
        Assert.Null(updates[0].Message!.Photo);

        var ex = await Assert.ThrowsAsync<ApiRequestException>(() => bot.GetFile(updates[1].Message!.Document!.FileId));
        Assert.Equal("Bad Request: file is too big", ex.Message);
    }

    [Fact]
    public async Task Control_api_rejects_non_images_as_photos_with_problem_details()
    {
        await using var host = EmulatorHost.Start();
        using var form = new MultipartFormDataContent { { new ByteArrayContent("not an image"u8.ToArray()), "file", "x.jpg" } };

        var response = await host.Http.PostAsync("/control/users/7006/photo", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Album_photos_share_a_media_group_and_stickers_arrive_as_stickers()
    {
        await using var host = EmulatorHost.Start();
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(EmulatorHost.MakeImage(400, 300)), "files", "a.png" },
            { new ByteArrayContent(EmulatorHost.MakeImage(300, 400)), "files", "b.png" },
        };
        var album = await (await host.Http.PostAsync("/control/users/7007/album", form)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, album.GetProperty("updateIds").GetArrayLength());
        (await host.Http.PostAsync("/control/users/7007/sticker", null)).EnsureSuccessStatusCode();

        var updates = await host.Bot().GetUpdates();
        Assert.Equal(3, updates.Length);
        Assert.NotNull(updates[0].Message!.MediaGroupId);
        Assert.Equal(updates[0].Message!.MediaGroupId, updates[1].Message!.MediaGroupId);
        Assert.Equal(MessageType.Sticker, updates[2].Message!.Type);
    }

    [Fact]
    public async Task Edits_and_deletes_are_reflected_and_unknown_messages_fail()
    {
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();
        await host.UserSaysAsync(7008, "hi");
        var sent = await bot.SendMessage(7008, "Working… 10%");

        var edited = await bot.EditMessageText(7008, sent.Id, "Working… 90%");
        Assert.NotNull(edited.EditDate);
        var notFound = await Assert.ThrowsAsync<ApiRequestException>(() => bot.EditMessageText(7008, 999, "nope"));
        Assert.Equal("Bad Request: message to edit not found", notFound.Message);
        var same = await Assert.ThrowsAsync<ApiRequestException>(() => bot.EditMessageText(7008, sent.Id, "Working… 90%"));
        Assert.StartsWith("Bad Request: message is not modified", same.Message);

        var other = await bot.SendMessage(7008, "temporary");
        await bot.DeleteMessage(7008, other.Id);

        var transcript = await host.TranscriptAsync(7008);
        Assert.Equal("Working… 90%", transcript[1].GetProperty("text").GetString());
        Assert.True(transcript[1].GetProperty("edited").GetBoolean());
        Assert.True(transcript[2].GetProperty("deleted").GetBoolean());
    }

    [Fact]
    public async Task Replies_and_caption_edits_look_like_telegrams()
    {
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();
        var said = await host.UserSaysAsync(7011, "make me a pirate");
        var userMessageId = said.GetProperty("messageId").GetInt32();

        var reply = await bot.SendMessage(7011, "On it", replyParameters: userMessageId);
        Assert.Equal("make me a pirate", reply.ReplyToMessage!.Text);

        using var image = new MemoryStream(EmulatorHost.MakeImage(100, 100));
        var photo = await bot.SendPhoto(7011, InputFile.FromStream(image, "r.png"), caption: "v1");
        var edited = await bot.EditMessageCaption(7011, photo.Id, "v2");
        Assert.Equal("v2", edited.Caption);
        var noCaption = await Assert.ThrowsAsync<ApiRequestException>(() => bot.EditMessageCaption(7011, reply.Id, "x"));
        Assert.Equal(400, noCaption.ErrorCode);
    }

    [Fact]
    public async Task Button_press_sends_a_callback_query_and_records_the_answer()
    {
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();
        await host.UserSaysAsync(7009, "hi");
        var offset = (await bot.GetUpdates())[^1].Id + 1;
        var menu = await bot.SendMessage(7009, "Choose", replyMarkup: new InlineKeyboardMarkup(
            InlineKeyboardButton.WithCallbackData("Buy 10", "buy:10"), InlineKeyboardButton.WithCallbackData("Help", "help")));

        var press = await host.Http.PostAsJsonAsync("/control/users/7009/callback", new { messageId = menu.Id, data = "buy:10" });
        var pressed = await press.Content.ReadFromJsonAsync<JsonElement>();

        var update = Assert.Single(await bot.GetUpdates(offset));
        Assert.Equal(pressed.GetProperty("callbackQueryId").GetString(), update.CallbackQuery!.Id);
        Assert.Equal("buy:10", update.CallbackQuery.Data);
        Assert.Equal(menu.Id, update.CallbackQuery.Message!.Id);

        await bot.AnswerCallbackQuery(update.CallbackQuery.Id, "Opening checkout");
        var answers = await host.Http.GetFromJsonAsync<JsonElement[]>("/control/users/7009/callback-answers");
        Assert.Equal("Opening checkout", Assert.Single(answers!).GetProperty("text").GetString());

        var again = await Assert.ThrowsAsync<ApiRequestException>(() => bot.AnswerCallbackQuery(update.CallbackQuery.Id));
        Assert.Contains("query ID is invalid", again.Message, StringComparison.Ordinal);

        var bogus = await host.Http.PostAsJsonAsync("/control/users/7009/callback", new { messageId = menu.Id, data = "not-a-button" });
        Assert.Equal(HttpStatusCode.BadRequest, bogus.StatusCode);
    }

    [Fact]
    public async Task Commands_carry_a_bot_command_entity_and_my_commands_round_trip()
    {
        await using var host = EmulatorHost.Start();
        var bot = host.Bot();
        await host.UserSaysAsync(7010, "/start ref42");

        var message = Assert.Single(await bot.GetUpdates()).Message!;
        var entity = Assert.Single(message.Entities!);
        Assert.Equal(MessageEntityType.BotCommand, entity.Type);
        Assert.Equal((0, 6), (entity.Offset, entity.Length));

        await host.UserSaysAsync(7010, "see /help or https://example.org/a/b, ask @faceswap_local_bot #swap");
        var detected = (await bot.GetUpdates())[^1].Message!.Entities!;
        Assert.Equal(
            [(MessageEntityType.BotCommand, 4, 5), (MessageEntityType.Url, 13, 23), (MessageEntityType.Mention, 42, 19), (MessageEntityType.Hashtag, 62, 5)],
            detected.Select(e => (e.Type, e.Offset, e.Length)));

        await bot.SetMyCommands([new BotCommand { Command = "start", Description = "Start" }, new BotCommand { Command = "paysupport", Description = "Payment help" }]);
        Assert.Equal(["start", "paysupport"], (await bot.GetMyCommands()).Select(c => c.Command));
    }
}
