namespace FaceSwap.BotApi.Data;

/// <summary>A message waiting to be put on a Redis stream; written in the same transaction as its job.</summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }
    public required string Stream { get; set; }
    public required string Payload { get; set; }
    public required string JobId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DispatchedAt { get; set; }
    public int Attempts { get; set; }
}
