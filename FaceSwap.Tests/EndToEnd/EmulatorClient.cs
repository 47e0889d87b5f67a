using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace FaceSwap.Tests.EndToEnd;

/// <summary>Drives simulated users through the emulator's control API and reads what the bot sent.</summary>
public sealed class EmulatorClient(HttpClient http)
{
    public HttpClient Http => http;

    public async Task<long> SendTextAsync(long userId, string text, string languageCode = "en", string firstName = "Tester")
    {
        var response = await http.PostAsJsonAsync($"/control/users/{userId}/text", new { text, firstName, languageCode });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messageId").GetInt64();
    }

    /// <summary>Sends a photo (or an image as a file); returns the file id Telegram gave it.</summary>
    public async Task<string> SendPhotoAsync(long userId, byte[] image, string fileName, bool asDocument = false)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".png", StringComparison.Ordinal) ? "image/png" : "image/jpeg");
        form.Add(file, "file", fileName);
        if (asDocument)
        {
            form.Add(new StringContent("true"), "asDocument");
        }

        var response = await http.PostAsync($"/control/users/{userId}/photo", form);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fileId").GetString()!;
    }

    public async Task SendAlbumAsync(long userId, params (byte[] Image, string FileName)[] photos)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (image, fileName) in photos)
        {
            var file = new ByteArrayContent(image);
            file.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".png", StringComparison.Ordinal) ? "image/png" : "image/jpeg");
            form.Add(file, "files", fileName);
        }

        var response = await http.PostAsync($"/control/users/{userId}/album", form);
        response.EnsureSuccessStatusCode();
    }

    public async Task SendStickerAsync(long userId)
    {
        var response = await http.PostAsync($"/control/users/{userId}/sticker", null);
        response.EnsureSuccessStatusCode();
    }

    public async Task SendDocumentAsync(long userId, byte[] content, string fileName, string mimeType)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(mimeType);
        form.Add(file, "file", fileName);
        form.Add(new StringContent("true"), "asDocument");
        var response = await http.PostAsync($"/control/users/{userId}/photo", form);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Sends a command and returns the bot's next message.</summary>
    public async Task<JsonElement> AskAsync(long userId, string text, TimeSpan timeout, string firstName = "Tester")
    {
        var before = (await BotMessagesAsync(userId)).Count;
        await SendTextAsync(userId, text, firstName: firstName);
        return await WaitForBotMessageAsync(userId, _ => true, timeout, skip: before);
    }

    /// <summary>Accepts the bot's terms of use as a user does (/terms, then the accept button); a swap needs it first.</summary>
    public async Task AcceptTermsAsync(long userId, string languageCode = "en", string firstName = "Tester")
    {
        var before = (await BotMessagesAsync(userId)).Count;
        await SendTextAsync(userId, "/terms", languageCode, firstName);
        var terms = await WaitForBotMessageAsync(userId, m => ButtonData(m).Any(d => d.StartsWith("terms:accept:", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), skip: before);
        var afterTerms = (await BotMessagesAsync(userId)).Count;
        await PressButtonAsync(userId, MessageId(terms), ButtonData(terms).Single(d => d.StartsWith("terms:accept:", StringComparison.Ordinal)));
        // The acknowledgement (the one message without buttons): a chat's updates are handled in order, so once it is
        // here every answer to what came before is too, and a caller counting messages from now on counts only its own.
        await WaitForBotMessageAsync(userId, m => ButtonData(m).Count == 0, TimeSpan.FromSeconds(30), skip: afterTerms);
    }

    /// <summary>A new user's swap, as far as "queued": /start, the terms accepted, the face, then the photo to put it on.</summary>
    public async Task QueueSwapAsync(long userId, TimeSpan timeout)
    {
        await AskAsync(userId, "/start", timeout);
        await AcceptTermsAsync(userId);
        await SendPhotoAsync(userId, Engine.TestImages.GraceHopper, "face.jpg");
        await WaitForBotMessageAsync(userId, m => Text(m)?.StartsWith("Got the face", StringComparison.Ordinal) == true, timeout);
        await SendPhotoAsync(userId, Engine.TestImages.Astronaut, "target.png");
        await WaitForBotMessageAsync(userId, m => Text(m)?.Contains("Queued", StringComparison.Ordinal) == true, timeout);
    }

    public async Task PressButtonAsync(long userId, long messageId, string data)
    {
        var response = await http.PostAsJsonAsync($"/control/users/{userId}/callback", new { messageId, data });
        response.EnsureSuccessStatusCode();
    }

    public async Task<IReadOnlyList<JsonElement>> BotMessagesAsync(long userId)
    {
        var transcript = await http.GetFromJsonAsync<JsonElement>($"/control/users/{userId}/messages");
        return transcript.EnumerateArray().Where(m => m.GetProperty("fromBot").GetBoolean()).ToList();
    }

    /// <summary>Waits for a bot message after the first <paramref name="skip"/> bot messages that matches.</summary>
    public async Task<JsonElement> WaitForBotMessageAsync(long userId, Func<JsonElement, bool> match, TimeSpan timeout, int skip = 0)
    {
        using var deadline = new CancellationTokenSource(timeout);
        IReadOnlyList<JsonElement> seen = [];
        while (!deadline.IsCancellationRequested)
        {
            // Read the version first: a change between the two reads makes the wait below return at once, never miss it.
            var version = await BotActivityAsync();
            seen = await BotMessagesAsync(userId);
            foreach (var message in seen.Skip(skip))
            {
                if (match(message))
                {
                    return message;
                }
            }

            await BotActivityAsync(after: version, wait: TimeSpan.FromSeconds(1));
        }

        throw new TimeoutException($"No matching bot message for user {userId} in {timeout}. The bot sent: " +
            string.Join(" | ", seen.Select(m => Text(m) ?? "(no text)")));
    }

    /// <summary>
    /// The emulator's count of what the bot did to chats; with <paramref name="after"/>, waits (at most
    /// <paramref name="wait"/>) until the bot does something more. Lets a test wait for the bot instead of polling.
    /// </summary>
    public async Task<long> BotActivityAsync(long? after = null, TimeSpan? wait = null)
    {
        var query = after is { } seen
            ? $"?after={seen}&waitMs={(int)(wait ?? TimeSpan.FromSeconds(1)).TotalMilliseconds}"
            : "";
        var activity = await http.GetFromJsonAsync<JsonElement>("/control/bot-activity" + query);
        return activity.GetProperty("version").GetInt64();
    }

    public async Task<byte[]> DownloadFileAsync(string fileId) => await http.GetByteArrayAsync($"/control/files/{fileId}");

    public static string? Text(JsonElement message) =>
        message.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString()
        : message.TryGetProperty("caption", out var caption) && caption.ValueKind == JsonValueKind.String ? caption.GetString()
        : null;

    /// <summary>The callback data of every inline button of a message.</summary>
    public static IReadOnlyList<string> ButtonData(JsonElement message) =>
        message.TryGetProperty("replyMarkup", out var markup) && markup.ValueKind == JsonValueKind.Object &&
        markup.TryGetProperty("inline_keyboard", out var rows)
            ? rows.EnumerateArray().SelectMany(row => row.EnumerateArray())
                .Where(button => button.TryGetProperty("callback_data", out _))
                .Select(button => button.GetProperty("callback_data").GetString()!).ToList()
            : [];

    public static long MessageId(JsonElement message) => message.GetProperty("messageId").GetInt64();

    public static string? PhotoFileId(JsonElement message) =>
        message.TryGetProperty("photoFileId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
}
