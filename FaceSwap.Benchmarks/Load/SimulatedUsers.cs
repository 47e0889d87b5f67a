using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace FaceSwap.Benchmarks.Load;

/// <summary>Users of the emulator: they send commands and photos through its control API and read their chats.</summary>
public sealed class SimulatedUsers(HttpClient emulator)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private readonly System.Collections.Concurrent.ConcurrentQueue<long> _sentUpdates = new();

    /// <summary>Every update the users caused, by id: the fault suite checks that none was lost.</summary>
    public IReadOnlyCollection<long> SentUpdateIds => _sentUpdates;

    public async Task<long> SendTextAsync(long userId, string text)
    {
        using var response = await emulator.PostAsJsonAsync($"/control/users/{userId}/text", new { text, firstName = "Load", languageCode = "en" });
        return (await SentAsync(response)).MessageId;
    }

    public async Task<long> SendPhotoAsync(long userId, byte[] image, string fileName) => (await SendPhotoWithUpdateAsync(userId, image, fileName)).MessageId;

    /// <param name="asDocument">Sent "as file": Telegram keeps the bytes as they are instead of recompressing to 1280 px.</param>
    public async Task<(long MessageId, long UpdateId)> SendPhotoWithUpdateAsync(long userId, byte[] image, string fileName, bool asDocument = false)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".png", StringComparison.Ordinal) ? "image/png" : "image/jpeg");
        form.Add(file, "file", fileName);
        form.Add(new StringContent(asDocument ? "true" : "false"), "asDocument");
        using var response = await emulator.PostAsync($"/control/users/{userId}/photo", form);
        return await SentAsync(response);
    }

    private async Task<(long MessageId, long UpdateId)> SentAsync(HttpResponseMessage response)
    {
        response.EnsureSuccessStatusCode();
        var sent = await response.Content.ReadFromJsonAsync<JsonElement>();
        var updateId = sent.GetProperty("updateId").GetInt64();
        _sentUpdates.Enqueue(updateId);
        return (sent.GetProperty("messageId").GetInt64(), updateId);
    }

    public async Task<IReadOnlyList<ChatMessage>> TranscriptAsync(long userId)
    {
        var transcript = await emulator.GetFromJsonAsync<JsonElement>($"/control/users/{userId}/messages");
        return [.. transcript.EnumerateArray().Select(m => new ChatMessage(
            m.GetProperty("messageId").GetInt64(),
            m.GetProperty("fromBot").GetBoolean(),
            String(m, "text") ?? String(m, "caption"),
            String(m, "photoFileId"),
            m.GetProperty("at").GetDateTimeOffset()))];
    }

    /// <summary>Waits for the first bot message after <paramref name="afterMessageId"/> that matches.</summary>
    public async Task<ChatMessage?> WaitForBotMessageAsync(long userId, long afterMessageId, Func<ChatMessage, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var found = (await TranscriptAsync(userId)).FirstOrDefault(m => m.FromBot && m.MessageId > afterMessageId && match(m));
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(Poll);
        }

        return null;
    }

    /// <summary>The user blocks the bot (the bot gets my_chat_member); every call to their chat is refused with 403 from then on.</summary>
    public async Task BlockBotAsync(long userId)
    {
        using var response = await emulator.PostAsync($"/control/users/{userId}/block", null);
        response.EnsureSuccessStatusCode();
    }

    public async Task<ChatView> ChatAsync(long userId)
    {
        var chat = await emulator.GetFromJsonAsync<JsonElement>($"/control/users/{userId}");
        return new ChatView(userId, chat.GetProperty("state").GetString()!, chat.GetProperty("refusedCalls").GetInt64());
    }

    /// <summary>Waits for the bot's outcome after <paramref name="afterMessageId"/>: the result photo or any message that is not a progress line.</summary>
    public Task<ChatMessage?> WaitForOutcomeAsync(long userId, long afterMessageId, TimeSpan timeout) =>
        WaitForBotMessageAsync(userId, afterMessageId, m => !m.IsProgress, timeout);

    /// <summary>/start, and the terms of use accepted with their button, as a new user does before a first swap.</summary>
    public async Task StartAsync(long userId, TimeSpan timeout)
    {
        var start = await SendTextAsync(userId, "/start");
        var welcome = await WaitForBotMessageAsync(userId, start, _ => true, timeout) ?? throw new TimeoutException($"user {userId}: no answer to /start");
        var transcript = await emulator.GetFromJsonAsync<JsonElement>($"/control/users/{userId}/messages");
        var accept = transcript.EnumerateArray()
            .Where(m => m.GetProperty("messageId").GetInt64() == welcome.MessageId && m.TryGetProperty("replyMarkup", out var markup) && markup.ValueKind == JsonValueKind.Object)
            .SelectMany(m => m.GetProperty("replyMarkup").GetProperty("inline_keyboard").EnumerateArray().SelectMany(row => row.EnumerateArray()))
            .Select(button => button.TryGetProperty("callback_data", out var data) ? data.GetString() : null)
            .FirstOrDefault(data => data?.StartsWith("terms:accept:", StringComparison.Ordinal) == true);
        if (accept is null)
        {
            return; // accepted before
        }

        using var response = await emulator.PostAsJsonAsync($"/control/users/{userId}/callback", new { messageId = welcome.MessageId, data = accept });
        response.EnsureSuccessStatusCode();
        _ = await WaitForBotMessageAsync(userId, welcome.MessageId, m => m.Text?.StartsWith("Thank you", StringComparison.Ordinal) == true, timeout)
            ?? throw new TimeoutException($"user {userId}: accepting the terms was not acknowledged");
    }

    /// <summary><see cref="StartAsync"/>, then the face photo: afterwards every photo the user sends is a target.</summary>
    public async Task PrepareAsync(long userId, byte[] face, TimeSpan timeout)
    {
        await StartAsync(userId, timeout);
        var faceMessage = await SendPhotoAsync(userId, face, "face.png");
        _ = await WaitForBotMessageAsync(userId, faceMessage, m => m.Text?.StartsWith("Got the face", StringComparison.Ordinal) == true, timeout)
            ?? throw new TimeoutException($"user {userId}: the face photo was not acknowledged");
    }

    /// <summary>
    /// Sends a target photo and waits for the swapped photo. The latency is the emulator's own clock from the user's
    /// message to the bot's photo, so how often this polls does not change the figure.
    /// </summary>
    public async Task<SwapOutcome> SwapAsync(long userId, byte[] target, TimeSpan timeout)
    {
        var (sent, updateId) = await SendPhotoWithUpdateAsync(userId, target, "target.jpg");
        var answer = await WaitForBotMessageAsync(userId, sent, m => m.IsSwapResult || m.IsSwapFailure, timeout);
        if (answer is null)
        {
            return new SwapOutcome(userId, sent, updateId, false, double.NaN, $"no result within {timeout.TotalSeconds:F0} s");
        }

        var question = (await TranscriptAsync(userId)).Single(m => m.MessageId == sent);
        return answer.IsSwapResult
            ? new SwapOutcome(userId, sent, updateId, true, (answer.At - question.At).TotalMilliseconds, null)
            : new SwapOutcome(userId, sent, updateId, false, (answer.At - question.At).TotalMilliseconds, answer.Text);
    }

    private static string? String(JsonElement message, string name) =>
        message.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
