using System.Text.Json;

namespace FaceSwap.TelegramEmulator.Infrastructure;

public sealed record TranscriptItem(
    long MessageId,
    bool FromBot,
    string? Method,
    string? Text,
    string? Caption,
    string? PhotoFileId,
    string? DocumentFileId,
    JsonElement? ReplyMarkup,
    JsonElement? Invoice,
    bool Edited,
    bool Deleted,
    IReadOnlyList<string> ChatActions,
    JsonElement Message,
    DateTimeOffset At);
