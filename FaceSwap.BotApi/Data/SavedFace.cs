namespace FaceSwap.BotApi.Data;

public sealed class SavedFace
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public required string Name { get; set; }
    public required string FileId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
