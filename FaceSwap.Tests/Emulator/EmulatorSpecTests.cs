using System.Net.Http.Json;
using System.Text.Json;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace FaceSwap.Tests.Emulator;

/// <summary>
/// Checks every emulated method's result against the Bot API 10.1 spec (TestData/emulator): the value
/// must have the spec's return type, and every object in it every required field, recursively.
/// </summary>
public sealed class EmulatorSpecTests
{
    private static readonly Lazy<JsonElement> Spec = new(() =>
        JsonDocument.Parse(System.IO.File.ReadAllText(FindTestData("telegram-bot-api-10.1.json"))).RootElement);

    [Fact]
    public async Task Every_method_answer_carries_the_required_fields_of_its_spec_return_type()
    {
        await using var host = EmulatorHost.Start(new Dictionary<string, string> { ["Emulator:PreCheckoutTimeout"] = "00:00:05" });
        var results = new List<(string Method, JsonElement Result)>();

        async Task<JsonElement> Call(string method, object? body = null)
        {
            var json = await host.RawBotCallAsync(method, body);
            Assert.True(json.GetProperty("ok").GetBoolean(), $"{method}: {json}");
            var result = json.GetProperty("result");
            results.Add((method, result));
            return result;
        }

        async Task<JsonElement> Upload(string method, MultipartFormDataContent form)
        {
            var json = await (await host.Http.PostAsync($"/bot{EmulatorHost.Token}/{method}", form)).Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(json.GetProperty("ok").GetBoolean(), $"{method}: {json}");
            results.Add((method, json.GetProperty("result")));
            return json.GetProperty("result");
        }

        const long user = 9501;
        await host.UserSaysAsync(user, "/start", "Ann");
        await host.UserSendsPhotoAsync(user, EmulatorHost.MakeImage(900, 700), caption: "me");
        await host.UserSendsPhotoAsync(user, EmulatorHost.MakeImage(300, 300), asDocument: true);
        (await host.Http.PostAsync($"/control/users/{user}/sticker", null)).EnsureSuccessStatusCode();

        await Call("getMe");
        await Call("setMyCommands", new { commands = new[] { new { command = "start", description = "Start" } } });
        await Call("getMyCommands");
        await Call("getWebhookInfo");
        var text = await Call("sendMessage", new { chat_id = user, text = "Hi", reply_markup = new { inline_keyboard = new[] { new[] { new { text = "Go", callback_data = "go" } } } } });
        var messageId = text.GetProperty("message_id").GetInt64();
        await Call("sendChatAction", new { chat_id = user, action = "typing" });
        await Call("editMessageText", new { chat_id = user, message_id = messageId, text = "Hi again", reply_markup = new { inline_keyboard = new[] { new[] { new { text = "Go", callback_data = "go" } } } } });
        await Call("editMessageReplyMarkup", new { chat_id = user, message_id = messageId });
        var menu = await Call("sendMessage", new { chat_id = user, text = "Menu", reply_markup = new { inline_keyboard = new[] { new[] { new { text = "Go", callback_data = "go" } } } } });
        var photoForm = new MultipartFormDataContent
        {
            { new StringContent(user.ToString(System.Globalization.CultureInfo.InvariantCulture)), "chat_id" },
            { new ByteArrayContent(EmulatorHost.MakeImage(640, 480)), "photo", "p.png" },
        };
        var photo = await Upload("sendPhoto", photoForm);
        await Call("editMessageCaption", new { chat_id = user, message_id = photo.GetProperty("message_id").GetInt64(), caption = "new caption" });
        var documentForm = new MultipartFormDataContent
        {
            { new StringContent(user.ToString(System.Globalization.CultureInfo.InvariantCulture)), "chat_id" },
            { new ByteArrayContent("report"u8.ToArray()), "document", "report.txt" },
        };
        await Upload("sendDocument", documentForm);
        var albumForm = new MultipartFormDataContent
        {
            { new StringContent(user.ToString(System.Globalization.CultureInfo.InvariantCulture)), "chat_id" },
            { new StringContent("""[{"type":"photo","media":"attach://a","caption":"before"},{"type":"photo","media":"attach://b"}]"""), "media" },
            { new ByteArrayContent(EmulatorHost.MakeImage(200, 200)), "a", "a.png" },
            { new ByteArrayContent(EmulatorHost.MakeImage(200, 100)), "b", "b.png" },
        };
        await Upload("sendMediaGroup", albumForm);
        await Call("getFile", new { file_id = photo.GetProperty("photo")[0].GetProperty("file_id").GetString() });
        var invoice = await Call("sendInvoice", new { chat_id = user, title = "Pack", description = "Ten swaps", payload = "pack10", currency = "XTR", prices = new[] { new { label = "Pack", amount = 10 } } });
        await Call("createInvoiceLink", new { title = "Pack", description = "Ten swaps", payload = "pack10", currency = "XTR", prices = new[] { new { label = "Pack", amount = 10 } } });

        (await host.Http.PostAsJsonAsync($"/control/users/{user}/callback", new { messageId = menu.GetProperty("message_id").GetInt64(), data = "go" })).EnsureSuccessStatusCode();
        var pay = host.Http.PostAsJsonAsync($"/control/users/{user}/pay", new { messageId = invoice.GetProperty("message_id").GetInt64() });
        var bot = host.Bot();
        await EmulatorHost.WaitUntilAsync(async () => (await bot.GetUpdates()).Any(u => u.PreCheckoutQuery is not null), because: "pre-checkout query");
        var preCheckout = (await bot.GetUpdates()).First(u => u.PreCheckoutQuery is not null).PreCheckoutQuery!;
        await Call("answerPreCheckoutQuery", new { pre_checkout_query_id = preCheckout.Id, ok = true });
        var charge = (await (await pay).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("chargeId").GetString();
        var callback = (await bot.GetUpdates()).First(u => u.CallbackQuery is not null).CallbackQuery!;
        await Call("answerCallbackQuery", new { callback_query_id = callback.Id, text = "ok" });
        await Call("refundStarPayment", new { user_id = user, telegram_payment_charge_id = charge });
        var updates = await Call("getUpdates");
        Assert.Contains(updates.EnumerateArray(), u => u.TryGetProperty("pre_checkout_query", out _));
        Assert.Contains(updates.EnumerateArray(), u => u.TryGetProperty("message", out var m) && m.TryGetProperty("successful_payment", out _));
        Assert.Contains(updates.EnumerateArray(), u => u.TryGetProperty("message", out var m) && m.TryGetProperty("sticker", out _));
        await Call("deleteMessage", new { chat_id = user, message_id = messageId });
        await Call("setWebhook", new { url = "http://127.0.0.1:9/hook", secret_token = "abc" });
        await Call("getWebhookInfo");
        await Call("deleteWebhook");

        var errors = new List<string>();
        foreach (var (method, result) in results)
        {
            var returns = Spec.Value.GetProperty("methods").GetProperty(method).GetProperty("returns").EnumerateArray().Select(t => t.GetString()!).ToArray();
            var problems = CheckAny(result, returns, method);
            errors.AddRange(problems);
        }

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
        var covered = results.Select(r => r.Method).ToHashSet(StringComparer.Ordinal);
        Assert.Subset(covered, new HashSet<string>(StringComparer.Ordinal)
        {
            "getMe", "setWebhook", "deleteWebhook", "getWebhookInfo", "getUpdates", "sendMessage", "sendPhoto", "sendDocument",
            "sendMediaGroup", "sendChatAction", "editMessageText", "editMessageReplyMarkup", "deleteMessage", "answerCallbackQuery",
            "getFile", "sendInvoice", "createInvoiceLink", "answerPreCheckoutQuery", "refundStarPayment", "setMyCommands", "getMyCommands",
        });
    }

    [Fact]
    public void The_checker_itself_catches_a_missing_required_field()
    {
        using var document = JsonDocument.Parse("""{"message_id":1,"date":1}""");
        var problems = CheckAny(document.RootElement, ["Message"], "sendMessage");
        Assert.Contains(problems, p => p.Contains("chat", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Webhook_update_json_carries_required_fields()
    {
        await using var host = EmulatorHost.Start();
        await host.UserSaysAsync(9502, "hello");
        var update = (await host.Bot().GetUpdates())[0];
        // What the webhook sender posts is the same serialisation of the same Update.
        var json = JsonSerializer.SerializeToElement(update, FaceSwap.TelegramEmulator.Infrastructure.BotJson.Options);
        Assert.Empty(CheckAny(json, ["Update"], "webhook"));
        Assert.False(json.GetProperty("message").GetProperty("from").GetProperty("is_bot").GetBoolean());
    }

    [Fact]
    public async Task My_chat_member_updates_carry_required_fields()
    {
        await using var host = EmulatorHost.Start();
        await host.UserSaysAsync(9503, "hello");
        (await host.Http.PostAsync("/control/users/9503/block", null)).EnsureSuccessStatusCode();
        (await host.Http.PostAsync("/control/users/9503/unblock", null)).EnsureSuccessStatusCode();
        var json = await host.RawBotCallAsync("getUpdates");
        var changes = json.GetProperty("result").EnumerateArray().Where(u => u.TryGetProperty("my_chat_member", out _)).ToArray();

        Assert.Equal(2, changes.Length);
        foreach (var change in changes)
        {
            Assert.Empty(CheckAny(change, ["Update"], "getUpdates"));
        }

        Assert.Equal(["kicked", "member"], changes.Select(c => c.GetProperty("my_chat_member").GetProperty("new_chat_member").GetProperty("status").GetString()));
    }

    private static List<string> CheckAny(JsonElement value, string[] types, string path)
    {
        List<string>? best = null;
        foreach (var type in types)
        {
            var problems = new List<string>();
            Check(value, type, path, problems);
            if (problems.Count == 0)
            {
                return problems;
            }

            if (best is null || problems.Count < best.Count)
            {
                best = problems;
            }
        }

        return best ?? [];
    }

    private static void Check(JsonElement value, string type, string path, List<string> problems)
    {
        if (type.StartsWith("Array of ", StringComparison.Ordinal))
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                problems.Add($"{path}: expected {type}, got {value.ValueKind}");
                return;
            }

            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                Check(item, type["Array of ".Length..], $"{path}[{index++}]", problems);
            }

            return;
        }

        switch (type)
        {
            case "Integer" or "Float":
                if (value.ValueKind != JsonValueKind.Number) problems.Add($"{path}: expected {type}, got {value.ValueKind}");
                return;
            case "String":
                if (value.ValueKind != JsonValueKind.String) problems.Add($"{path}: expected String, got {value.ValueKind}");
                return;
            case "Boolean":
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) problems.Add($"{path}: expected Boolean, got {value.ValueKind}");
                return;
            case "True":
                if (value.ValueKind != JsonValueKind.True) problems.Add($"{path}: expected True, got {value.ValueKind}");
                return;
        }

        if (!Spec.Value.GetProperty("types").TryGetProperty(type, out var spec))
        {
            return; // input-only or unknown types are not checked
        }

        if (spec.TryGetProperty("subtypes", out var subtypes))
        {
            var sub = CheckAny(value, [.. subtypes.EnumerateArray().Select(s => s.GetString()!)], path);
            problems.AddRange(sub);
            return;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{path}: expected {type} object, got {value.ValueKind}");
            return;
        }

        if (!spec.TryGetProperty("fields", out var fields))
        {
            return;
        }

        foreach (var field in fields.EnumerateArray())
        {
            var name = field.GetProperty("name").GetString()!;
            var required = field.GetProperty("required").GetBoolean();
            if (!value.TryGetProperty(name, out var fieldValue))
            {
                if (required)
                {
                    problems.Add($"{path}: {type}.{name} is required but missing");
                }

                continue;
            }

            var fieldTypes = field.GetProperty("types").EnumerateArray().Select(t => t.GetString()!).ToArray();
            problems.AddRange(CheckAny(fieldValue, fieldTypes, $"{path}.{name}"));
        }
    }

    private static string FindTestData(string fileName)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "FaceSwap.Tests", "TestData", "emulator", fileName);
            if (System.IO.File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("Test data not found above " + AppContext.BaseDirectory, fileName);
    }
}
