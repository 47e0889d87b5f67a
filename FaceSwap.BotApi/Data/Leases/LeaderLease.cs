namespace FaceSwap.BotApi.Data.Leases;

/// <summary>A scheduled job (by name) that one replica runs until <see cref="ExpiresAt"/> (table <c>leader_leases</c>).</summary>
public sealed class LeaderLease
{
    public string Name { get; set; } = "";

    public string Owner { get; set; } = "";

    public DateTimeOffset ExpiresAt { get; set; }
}
