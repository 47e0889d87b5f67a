using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace FaceSwap.Tests.EndToEnd;

/// <summary>Drives simulated users through the emulator's control API and reads what the bot sent.</summary>
public sealed class EmulatorClient(HttpClient http)
{
    public HttpClient Http => http;

    public async Task<long> SendTextAsync(long userId, string text, string languageCode = "en")
    {
        var response = await http.PostAsJsonAsync($"/control/users/{userId}/text", new { text, firstName = "Tester", languageCode });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messageId").GetInt64();
    }

    public async Task SendPhotoAsync(long userId, byte[] image, string fileName, bool asDocument = false)
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
            seen = await BotMessagesAsync(userId);
            foreach (var message in seen.Skip(skip))
            {
                if (match(message))
                {
                    return message;
                }
            }

            await Task.Delay(200, CancellationToken.None);
        }

        throw new TimeoutException($"No matching bot message for user {userId} in {timeout}. The bot sent: " +
            string.Join(" | ", seen.Select(m => Text(m) ?? "(no text)")));
    }

    public async Task<byte[]> DownloadFileAsync(string fileId) => await http.GetByteArrayAsync($"/control/files/{fileId}");

    public static string? Text(JsonElement message) =>
        message.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString()
        : message.TryGetProperty("caption", out var caption) && caption.ValueKind == JsonValueKind.String ? caption.GetString()
        : null;

    public static string? PhotoFileId(JsonElement message) =>
        message.TryGetProperty("photoFileId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
}
