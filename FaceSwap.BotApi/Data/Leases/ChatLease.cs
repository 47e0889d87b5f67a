namespace FaceSwap.BotApi.Data.Leases;

/// <summary>A chat whose updates one replica handles until <see cref="ExpiresAt"/> (table <c>chat_leases</c>).</summary>
public sealed class ChatLease
{
    public long ChatId { get; set; }

    public string Owner { get; set; } = "";

    public DateTimeOffset ExpiresAt { get; set; }
}
