using System.Text.Json.Serialization;

namespace FaceSwap.TelegramEmulator.Control;

public sealed record PayResult(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ChargeId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ErrorMessage = null);
