using System.Globalization;
using System.Text.Json;
using FaceSwap.TelegramEmulator.Infrastructure;

namespace FaceSwap.TelegramEmulator.BotApi;

/// <summary>
/// A Bot API call's parameters from any of the four encodings Telegram accepts (query string,
/// form-urlencoded, multipart, JSON). Form and query values are strings; objects in them are JSON text.
/// </summary>
public sealed class BotParameters
{
    private readonly Dictionary<string, JsonElement> _json = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _text = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IFormFile> _files = new(StringComparer.Ordinal);

    public static async Task<BotParameters> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var parameters = new BotParameters();
        foreach (var (key, value) in request.Query)
        {
            parameters._text[key] = value.ToString();
        }

        if (request.HasJsonContentType())
        {
            // Buffered so an empty body (allowed by Telegram for parameterless methods) can be told apart.
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
            if (body.Length == 0)
            {
                return parameters;
            }

            body.Position = 0;
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw BotApiException.BadRequest("can't parse JSON object");
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                parameters._json[property.Name] = property.Value.Clone();
            }
        }
        else if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
            foreach (var (key, value) in form)
            {
                parameters._text[key] = value.ToString();
            }

            foreach (var file in form.Files)
            {
                parameters._files[file.Name] = file;
            }
        }

        return parameters;
    }

    public bool Has(string name) => _json.ContainsKey(name) || _text.ContainsKey(name) || _files.ContainsKey(name);

    public string? GetString(string name)
    {
        if (_json.TryGetValue(name, out var element))
        {
            return element.ValueKind switch
            {
                JsonValueKind.String => element.GetString(),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => element.GetRawText(),
            };
        }

        return _text.GetValueOrDefault(name);
    }

    public string RequireString(string name, string? emptyDescription = null)
    {
        var value = GetString(name);
        return string.IsNullOrEmpty(value) ? throw BotApiException.BadRequest(emptyDescription ?? $"{name} is empty") : value;
    }

    public long? GetLong(string name)
    {
        var value = GetString(name);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw BotApiException.BadRequest($"invalid {name} specified");
    }

    public long RequireLong(string name) => GetLong(name) ?? throw BotApiException.Empty(name);

    public bool GetBool(string name)
    {
        var value = GetString(name);
        return value is not null && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1");
    }

    /// <summary>A JSON-valued parameter (reply_markup, prices, media, ...), whatever the encoding.</summary>
    public JsonElement? GetJson(string name)
    {
        if (_json.TryGetValue(name, out var element))
        {
            return element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : element;
        }

        if (_text.TryGetValue(name, out var text) && !string.IsNullOrWhiteSpace(text))
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                return document.RootElement.Clone();
            }
            catch (JsonException)
            {
                throw BotApiException.BadRequest($"can't parse {name} JSON object");
            }
        }

        return null;
    }

    public T? GetObject<T>(string name) where T : class
    {
        var element = GetJson(name);
        if (element is null)
        {
            return null;
        }

        try
        {
            return element.Value.Deserialize<T>(BotJson.Options);
        }
        catch (JsonException)
        {
            throw BotApiException.BadRequest($"can't parse {name} JSON object");
        }
    }

    public string[]? GetStringArray(string name)
    {
        var element = GetJson(name);
        if (element is null)
        {
            return null;
        }

        return element.Value.ValueKind == JsonValueKind.Array
            ? [.. element.Value.EnumerateArray().Select(e => e.GetString() ?? string.Empty)]
            : throw BotApiException.BadRequest($"can't parse {name} JSON array");
    }

    public IFormFile? GetFile(string name) => _files.GetValueOrDefault(name);
}
