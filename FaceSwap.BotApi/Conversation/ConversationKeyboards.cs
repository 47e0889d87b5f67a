using Telegram.Bot.Types.ReplyMarkups;

namespace FaceSwap.BotApi.Conversation;

/// <summary>Inline keyboards and the callback data they carry (at most 64 bytes each).</summary>
public static class ConversationKeyboards
{
    public const string SameFace = "again:face";
    public const string NewFace = "again:new";
    public const string AsFilePrefix = "file:";
    public const string UseFacePrefix = "face:use:";
    public const string DeleteFacePrefix = "face:del:";
    public const string DeleteDataYes = "deletedata:yes";
    public const string DeleteDataNo = "deletedata:no";
    public const string PickFacePrefix = "pick:";
    public const string PickAll = "all";
    public const string AcceptTermsPrefix = "terms:accept:";
    public const string ReportPrefix = "report:";

    public static InlineKeyboardMarkup AfterResult(BotTexts texts, string jobId) => new(
    [
        [InlineKeyboardButton.WithCallbackData(texts["ButtonSameFace"], SameFace), InlineKeyboardButton.WithCallbackData(texts["ButtonNewFace"], NewFace)],
        [InlineKeyboardButton.WithCallbackData(texts["ButtonAsFile"], AsFilePrefix + jobId), InlineKeyboardButton.WithCallbackData(texts["ButtonReport"], ReportPrefix + jobId)],
    ]);

    /// <summary>The accept button carries the terms' version, so a button under an older text accepts nothing.</summary>
    public static InlineKeyboardMarkup AcceptTerms(BotTexts texts, string version) => new(
    [
        [InlineKeyboardButton.WithCallbackData(texts["ButtonAcceptTerms"], AcceptTermsPrefix + version)],
    ]);

    /// <summary>One button per numbered face (8 per row), then "all faces"; data is "pick:{jobId}:{index|all}".</summary>
    public static InlineKeyboardMarkup ChooseFace(BotTexts texts, string jobId, int faces) => new(
        Enumerable.Range(1, faces)
            .Select(n => InlineKeyboardButton.WithCallbackData(n.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{PickFacePrefix}{jobId}:{n - 1}"))
            .Chunk(8)
            .Append([InlineKeyboardButton.WithCallbackData(texts["AllFaces"], $"{PickFacePrefix}{jobId}:{PickAll}")]));

    public static InlineKeyboardMarkup ConfirmDelete(BotTexts texts) => new(
    [
        [InlineKeyboardButton.WithCallbackData(texts["DeleteYes"], DeleteDataYes), InlineKeyboardButton.WithCallbackData(texts["DeleteNo"], DeleteDataNo)],
    ]);

    public static InlineKeyboardMarkup SavedFaces(IEnumerable<(long Id, string Name)> faces) => new(
        faces.Select(face => new[]
        {
            InlineKeyboardButton.WithCallbackData(face.Name, UseFacePrefix + face.Id),
            InlineKeyboardButton.WithCallbackData("🗑", DeleteFacePrefix + face.Id),
        }));
}
